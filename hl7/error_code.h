// HL7 table 0357 (message error condition codes) and the location of an error inside a message,
// the two things an ERR segment reports. A ParseError carries both so a malformed message can be
// acknowledged precisely.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::hl7 {

// HL7 table 0357. The numeric value is the code written to ERR-3 / ERR-1.4.
enum class ErrorCode : int {
  kAccepted = 0,
  kSegmentSequenceError = 100,
  kRequiredFieldMissing = 101,
  kDataTypeError = 102,
  kTableValueNotFound = 103,
  kValueTooLong = 104,
  kUnsupportedMessageType = 200,
  kUnsupportedEventCode = 201,
  kUnsupportedProcessingId = 202,
  kUnsupportedVersionId = 203,
  kUnknownKeyIdentifier = 204,
  kDuplicateKeyIdentifier = 205,
  kApplicationRecordLocked = 206,
  kApplicationInternalError = 207,
};

// The table 0357 display text ("Segment sequence error", ...).
std::string_view error_code_text(ErrorCode code);

// Where an error is (ERR-2, data type ERL). Numbers are 1-based; 0 means "not applicable".
struct ErrorLocation {
  std::string segment_id;    // "MSH", "PID"; empty when no segment could be identified
  int segment_sequence = 0;  // position of the segment in the message (1 = first)
  int field = 0;
  int repetition = 0;
  int component = 0;
  int subcomponent = 0;
};

// "PID[2]-3[1].4" style text of a location, used as an Issue expression.
std::string format_location(const ErrorLocation& location);

// Everything a parser knows about why a message is malformed.
struct ParseError {
  ErrorCode code = ErrorCode::kApplicationInternalError;
  ErrorLocation location;
  std::string message;
};

// The Status form of a ParseError (Code::kMalformed, the location as expression).
Status to_status(const ParseError& error);

}  // namespace hearth::hl7
