// A run's ScriptResult as an R4 TestReport resource (https://hl7.org/fhir/R4/testreport.html):
// status completed, result pass/fail, score = percentage of tests passed, the server and this
// engine as participants, one action per operation/assert with its result and message.
#pragma once

#include <string>

#include "conformance/results.h"

namespace hearth::conformance {

// Pretty-printed FHIR JSON of the TestReport.
std::string test_report_json(const ScriptResult& result);

}  // namespace hearth::conformance
