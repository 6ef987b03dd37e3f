// The one table that maps a Status code to its HTTP status and default FHIR IssueType
// (https://hl7.org/fhir/R4/valueset-issue-type.html). Every edge uses it, so a code means the
// same thing over REST, in an OperationOutcome and in logs.
#pragma once

#include <string_view>

#include "core/status.h"

namespace hearth {

struct CodeInfo {
  Code code;
  int http_status;
  std::string_view issue_type;  // FHIR IssueType code
  std::string_view name;        // for logs
};

const CodeInfo& code_info(Code code);
inline int http_status(Code code) {
  return code_info(code).http_status;
}
inline std::string_view issue_type(Code code) {
  return code_info(code).issue_type;
}

std::string_view severity_code(Severity severity);  // "fatal", "error", ...

}  // namespace hearth
