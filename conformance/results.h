// What a TestScript run produced: one ActionResult per operation or assert, grouped into the
// script's setup, tests and teardown. The engine fills it; test_report.h, junit.h and summary.h
// render it. Plain values, no behaviour beyond counting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hearth::conformance {

// The TestReport action result codes (report-action-result-codes) used by the runner.
enum class Outcome { kPass, kSkip, kFail, kWarning, kError };

std::string_view outcome_code(Outcome outcome);  // "pass", "skip", "fail", "warning", "error"

struct ActionResult {
  bool is_operation = false;  // else an assert
  Outcome outcome = Outcome::kPass;
  std::string label;    // the action's label or description, else its kind ("read", "response")
  std::string message;  // why it failed or was skipped; what it checked when it passed
  std::string request;  // "GET http://host/fhir/Patient/1" of the exchange involved, if any
  int status = 0;       // that exchange's response status (0: none)
  std::string response_excerpt;  // the start of that response's body
};

struct TestResult {
  std::string name;
  std::string description;
  std::vector<ActionResult> actions;
  // fail when an action failed or errored; skip when none did but one was skipped; else pass
  // (warnings do not fail a test).
  Outcome outcome() const;
  int count(Outcome outcome) const;
};

struct ScriptResult {
  std::string file;  // as given on the command line / to the engine
  std::string id;    // TestScript.id
  std::string name;  // TestScript.name (or title, or the file name)
  std::string url;   // TestScript.url, if any
  std::string server;
  std::string issued;              // when the run started, FHIR instant
  std::vector<std::string> notes;  // script-level unsupported or ignored elements
  std::string load_error;          // non-empty: the script could not be read or set up at all
  TestResult setup;                // name "setup"
  std::vector<TestResult> tests;
  TestResult teardown;  // name "teardown"

  // fail when the load or a test failed, the setup did not pass (failed or skipped: no test
  // ran) or the teardown failed; else pass.
  Outcome outcome() const;
  int tests_with(Outcome outcome) const;
  int assertions() const;  // assert actions in setup, tests and teardown
};

}  // namespace hearth::conformance
