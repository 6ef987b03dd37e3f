// Counting over run results.
#include "conformance/results.h"

namespace hearth::conformance {

std::string_view outcome_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "pass";
    case Outcome::kSkip: return "skip";
    case Outcome::kFail: return "fail";
    case Outcome::kWarning: return "warning";
    case Outcome::kError: return "error";
  }
  return "error";
}

int TestResult::count(Outcome outcome) const {
  int n = 0;
  for (const auto& a : actions) n += a.outcome == outcome ? 1 : 0;
  return n;
}

Outcome TestResult::outcome() const {
  if (count(Outcome::kFail) > 0 || count(Outcome::kError) > 0) return Outcome::kFail;
  if (count(Outcome::kSkip) > 0) return Outcome::kSkip;
  return Outcome::kPass;
}

Outcome ScriptResult::outcome() const {
  // A setup that did not pass means no test ran: nothing was verified.
  if (!load_error.empty() || setup.outcome() != Outcome::kPass ||
      teardown.outcome() == Outcome::kFail) {
    return Outcome::kFail;
  }
  return tests_with(Outcome::kFail) > 0 ? Outcome::kFail : Outcome::kPass;
}

int ScriptResult::tests_with(Outcome outcome) const {
  int n = 0;
  for (const auto& t : tests) n += t.outcome() == outcome ? 1 : 0;
  return n;
}

int ScriptResult::assertions() const {
  int n = 0;
  auto add = [&n](const TestResult& t) {
    for (const auto& a : t.actions) n += a.is_operation ? 0 : 1;
  };
  add(setup);
  for (const auto& t : tests) add(t);
  add(teardown);
  return n;
}

}  // namespace hearth::conformance
