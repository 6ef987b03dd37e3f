// A run as JUnit XML (the Ant/Surefire shape CI systems read): one <testsuite> per script, one
// <testcase> per test (plus "setup"/"teardown" when they failed), <failure>/<error>/<skipped>
// carrying the action's message, request and response excerpt.
#pragma once

#include <string>
#include <vector>

#include "conformance/results.h"

namespace hearth::conformance {

std::string junit_xml(const std::vector<ScriptResult>& results);

}  // namespace hearth::conformance
