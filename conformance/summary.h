// The human side of a run: one progress line per test as it finishes, and the closing summary
// table (passed / failed / skipped per script), then every failing action with its request and
// a response excerpt, then the totals.
#pragma once

#include <iosfwd>
#include <vector>

#include "conformance/results.h"

namespace hearth::conformance {

struct Totals {
  int scripts = 0;
  int scripts_failed = 0;
  int tests = 0;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int assertions = 0;
};

Totals totals(const std::vector<ScriptResult>& results);
void write_progress(std::ostream& out, const ScriptResult& script, const TestResult& test);
void write_summary(std::ostream& out, const std::vector<ScriptResult>& results);

}  // namespace hearth::conformance
