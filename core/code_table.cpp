// The code -> HTTP status -> IssueType table, in the order of the Code enum.
#include "core/code_table.h"

#include <array>

namespace hearth {
namespace {

constexpr std::array kTable = {
    CodeInfo{Code::kOk, 200, "informational", "ok"},
    CodeInfo{Code::kMalformed, 400, "structure", "malformed"},
    CodeInfo{Code::kInvalidArgument, 400, "invalid", "invalid-argument"},
    CodeInfo{Code::kUnauthorized, 401, "login", "unauthorized"},
    CodeInfo{Code::kForbidden, 403, "forbidden", "forbidden"},
    CodeInfo{Code::kNotFound, 404, "not-found", "not-found"},
    CodeInfo{Code::kMethodNotAllowed, 405, "not-supported", "method-not-allowed"},
    CodeInfo{Code::kNotAcceptable, 406, "not-supported", "not-acceptable"},
    CodeInfo{Code::kConflict, 409, "conflict", "conflict"},
    CodeInfo{Code::kGone, 410, "deleted", "gone"},
    CodeInfo{Code::kPreconditionFailed, 412, "conflict", "precondition-failed"},
    CodeInfo{Code::kPayloadTooLarge, 413, "too-costly", "payload-too-large"},
    CodeInfo{Code::kUnsupportedMediaType, 415, "not-supported", "unsupported-media-type"},
    CodeInfo{Code::kUnprocessable, 422, "invalid", "unprocessable"},
    CodeInfo{Code::kNotImplemented, 501, "not-supported", "not-implemented"},
    CodeInfo{Code::kUnavailable, 503, "transient", "unavailable"},
    CodeInfo{Code::kInternal, 500, "exception", "internal"},
};

// The table must list every code, in enum order, so code_info() can index it.
constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].code) != i) return false;
  }
  return kTable.size() == static_cast<std::size_t>(Code::kInternal) + 1;
}
static_assert(table_in_enum_order());

}  // namespace

const CodeInfo& code_info(Code code) {
  return kTable[static_cast<std::size_t>(code)];
}

std::string_view severity_code(Severity severity) {
  switch (severity) {
    case Severity::kFatal: return "fatal";
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInformation: return "information";
  }
  return "error";
}

}  // namespace hearth
