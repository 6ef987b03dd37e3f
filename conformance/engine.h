// The TestScript engine: runs one R4 TestScript (https://hl7.org/fhir/R4/testscript.html)
// against a FHIR base URL through an HttpTransport and returns what happened, action by action.
//
// Order: fixtures are loaded (contained "#id", or files relative to the script, JSON or XML;
// a file with another extension is a raw body, sent as written: malformed or non-FHIR payloads),
// autocreate fixtures are created, setup runs, then each test, then teardown and autodelete.
// A setup that fails skips every test; teardown always runs. Inside a test, an operation that
// could not be sent (transport error, unsupported) skips the actions after it, and a failed
// assert does not stop the test. Everything the engine does not support is reported as a skip
// or a note with the reason; nothing is ignored silently.
//
// Errors never escape as exceptions: an unreadable script gives a ScriptResult whose load_error
// says why. Not thread-safe; one engine per thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "conformance/http_transport.h"
#include "conformance/results.h"
#include "core/clock.h"
#include "core/status.h"
#include "fhir/json.h"

namespace hearth::conformance {

struct EngineOptions {
  std::string base_url;  // FHIR base, e.g. http://127.0.0.1:8080/fhir (a trailing '/' is ignored)
  std::string token;     // bearer token sent with every request, if not empty
  std::map<std::string, std::string> variables;  // --var NAME=VALUE, overriding the script's
  // Called after setup (when it has actions), each test and teardown (when it has actions).
  std::function<void(const ScriptResult& script, const TestResult& test)> on_test;
  const Clock* clock = nullptr;  // for TestReport.issued; the system clock when null
  // Fixture files are read only below the script's folder and these (--allow-fixture-path);
  // a reference that resolves elsewhere ("../../etc/passwd", an absolute path) fails to load.
  std::vector<std::string> fixture_roots;
};

// Reads a FHIR resource file: XML when it starts with '<' (after blanks), else JSON.
// Errors: kNotFound when it cannot be read, kMalformed/kUnprocessable from the codecs.
Result<fhir::JsonDocument> load_resource_file(const std::string& path);

class Engine {
 public:
  Engine(HttpTransport& transport, EngineOptions options);

  // Loads and runs the TestScript in `path` (fixture files are relative to its folder).
  ScriptResult run_file(const std::string& path);
  // Runs an already parsed TestScript; `base_dir` resolves fixture files, `file` is reported.
  ScriptResult run(const fhir::JsonValue& script, const std::string& base_dir,
                   const std::string& file);

 private:
  HttpTransport& transport_;
  EngineOptions options_;
};

}  // namespace hearth::conformance
