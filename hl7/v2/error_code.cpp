// Table 0357 texts and location formatting.
#include "hl7/v2/error_code.h"

namespace hearth::hl7 {

std::string_view error_code_text(ErrorCode code) {
  switch (code) {
    case ErrorCode::kAccepted: return "Message accepted";
    case ErrorCode::kSegmentSequenceError: return "Segment sequence error";
    case ErrorCode::kRequiredFieldMissing: return "Required field missing";
    case ErrorCode::kDataTypeError: return "Data type error";
    case ErrorCode::kTableValueNotFound: return "Table value not found";
    case ErrorCode::kValueTooLong: return "Value too long";
    case ErrorCode::kUnsupportedMessageType: return "Unsupported message type";
    case ErrorCode::kUnsupportedEventCode: return "Unsupported event code";
    case ErrorCode::kUnsupportedProcessingId: return "Unsupported processing id";
    case ErrorCode::kUnsupportedVersionId: return "Unsupported version id";
    case ErrorCode::kUnknownKeyIdentifier: return "Unknown key identifier";
    case ErrorCode::kDuplicateKeyIdentifier: return "Duplicate key identifier";
    case ErrorCode::kApplicationRecordLocked: return "Application record locked";
    case ErrorCode::kApplicationInternalError: return "Application internal error";
  }
  return "Application internal error";
}

std::string format_location(const ErrorLocation& location) {
  std::string out = location.segment_id.empty() ? "?" : location.segment_id;
  if (location.segment_sequence > 0) out += "[" + std::to_string(location.segment_sequence) + "]";
  if (location.field > 0) {
    out += "-" + std::to_string(location.field);
    if (location.repetition > 0) out += "[" + std::to_string(location.repetition) + "]";
    if (location.component > 0) out += "." + std::to_string(location.component);
    if (location.subcomponent > 0) out += "." + std::to_string(location.subcomponent);
  }
  return out;
}

Status to_status(const ParseError& error) {
  return Status(Code::kMalformed, error.message, format_location(error.location), "structure");
}

}  // namespace hearth::hl7
