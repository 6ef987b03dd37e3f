// A scripted HTTP server for the conformance engine tests: a handler answers each request (or
// fails it like a transport error) and every request is recorded for inspection.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "conformance/engine.h"
#include "conformance/http_transport.h"
#include "fhir/json.h"

namespace hearth::conformance::testing {

class FakeTransport : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}
  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    return handler_(request);
  }
  std::vector<HttpRequest> requests;

 private:
  Handler handler_;
};

inline HttpResponse json_response(int status, std::string body, Headers extra = {}) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/fhir+json; charset=utf-8");
  for (auto& h : extra) r.headers.push_back(std::move(h));
  r.body = std::move(body);
  return r;
}

constexpr const char* kBase = "http://fhir.test/base";

// Runs the TestScript JSON `script` against `transport`.
inline ScriptResult run_script(HttpTransport& transport, const std::string& script,
                               std::map<std::string, std::string> vars = {},
                               const std::string& base_dir = ".",
                               std::vector<std::string> fixture_roots = {}) {
  auto doc = fhir::parse_json(script);
  if (!doc) {
    ScriptResult r;
    r.load_error = "test script JSON: " + doc.status().message();
    return r;
  }
  EngineOptions options;
  options.base_url = kBase;
  options.variables = std::move(vars);
  options.fixture_roots = std::move(fixture_roots);
  Engine engine(transport, options);
  return engine.run(*doc, base_dir, "test.json");
}

}  // namespace hearth::conformance::testing
