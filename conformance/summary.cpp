// Text rendering of results.
#include "conformance/summary.h"

#include <algorithm>
#include <iomanip>
#include <ostream>

namespace hearth::conformance {
namespace {

const char* tag(Outcome o) {
  switch (o) {
    case Outcome::kPass: return "PASS";
    case Outcome::kSkip: return "SKIP";
    case Outcome::kWarning: return "WARN";
    default: return "FAIL";
  }
}

void write_action(std::ostream& out, const ActionResult& a, const char* indent) {
  out << indent << "[" << outcome_code(a.outcome) << "] " << a.label << ": " << a.message << '\n';
  if (!a.request.empty()) {
    out << indent << "  request:  " << a.request;
    if (a.status != 0) out << " -> " << a.status;
    out << '\n';
  }
  if (!a.response_excerpt.empty() && a.outcome != Outcome::kSkip) {
    std::string e = a.response_excerpt;
    std::replace(e.begin(), e.end(), '\n', ' ');
    out << indent << "  response: " << e << '\n';
  }
}

}  // namespace

Totals totals(const std::vector<ScriptResult>& results) {
  Totals t;
  for (const auto& r : results) {
    ++t.scripts;
    t.scripts_failed += r.outcome() == Outcome::kFail ? 1 : 0;
    t.tests += static_cast<int>(r.tests.size());
    t.passed += r.tests_with(Outcome::kPass);
    t.failed += r.tests_with(Outcome::kFail);
    t.skipped += r.tests_with(Outcome::kSkip);
    t.assertions += r.assertions();
  }
  return t;
}

void write_progress(std::ostream& out, const ScriptResult& script, const TestResult& test) {
  Outcome o = test.outcome();
  out << "  " << tag(o) << "  " << script.name << " :: " << test.name;
  int asserts = 0;
  for (const auto& a : test.actions) asserts += a.is_operation ? 0 : 1;
  out << " (" << asserts << " assert" << (asserts == 1 ? "" : "s") << ")";
  if (o != Outcome::kPass) {
    for (const auto& a : test.actions) {
      if (a.outcome == Outcome::kFail || a.outcome == Outcome::kError ||
          (o == Outcome::kSkip && a.outcome == Outcome::kSkip)) {
        out << " - " << a.label << ": " << a.message;
        break;
      }
    }
  }
  out << std::endl;
}

void write_summary(std::ostream& out, const std::vector<ScriptResult>& results) {
  std::size_t width = 6;
  for (const auto& r : results) width = std::max(width, r.name.size());
  width = std::min<std::size_t>(width, 60);
  out << '\n'
      << std::left << std::setw(static_cast<int>(width)) << "SCRIPT"
      << "  PASSED  FAILED  SKIPPED  RESULT\n";
  for (const auto& r : results) {
    out << std::left << std::setw(static_cast<int>(width)) << r.name.substr(0, width) << std::right
        << std::setw(8) << r.tests_with(Outcome::kPass) << std::setw(8)
        << r.tests_with(Outcome::kFail) << std::setw(9) << r.tests_with(Outcome::kSkip) << "  "
        << tag(r.outcome()) << std::left << '\n';
  }
  bool header = false;
  auto problem = [&](const ScriptResult& r, const TestResult& t) {
    for (const auto& a : t.actions) {
      if (a.outcome != Outcome::kFail && a.outcome != Outcome::kError &&
          a.outcome != Outcome::kWarning)
        continue;
      if (!header) {
        out << "\nFailures:\n";
        header = true;
      }
      out << "  " << r.name << " :: " << t.name << '\n';
      write_action(out, a, "    ");
    }
  };
  for (const auto& r : results) {
    if (!r.load_error.empty()) {
      if (!header) {
        out << "\nFailures:\n";
        header = true;
      }
      out << "  " << r.name << " (" << r.file << "): " << r.load_error << '\n';
    }
    problem(r, r.setup);
    for (const auto& t : r.tests) problem(r, t);
    problem(r, r.teardown);
  }
  bool notes = false;
  for (const auto& r : results) {
    for (const auto& n : r.notes) {
      if (!notes) out << "\nNotes:\n";
      notes = true;
      out << "  " << r.name << ": " << n << '\n';
    }
  }
  Totals t = totals(results);
  out << '\n'
      << t.scripts << " script(s), " << t.tests << " test(s): " << t.passed << " passed, "
      << t.failed << " failed, " << t.skipped << " skipped; " << t.assertions << " assertion(s)\n";
}

}  // namespace hearth::conformance
