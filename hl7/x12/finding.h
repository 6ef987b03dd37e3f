// What the X12 parser and the structure check find wrong in an interchange, each at the level an
// acknowledgment reports it: the interchange (TA1 note codes), a functional group (999 AK9),
// a transaction set (999 IK5), a segment (999 IK3) or an element (999 IK4). The codes are those
// of X12 005010 (TA105, AK905, IK502, IK304, IK403), kept as their code text so the
// implementation codes ("I5", "I6") fit. ack.h turns a document's findings into TA1 and 999
// values; nothing here formats an acknowledgment.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace hearth::hl7::x12 {

enum class Level { kInterchange, kGroup, kTransaction, kSegment, kElement };

// TA105 interchange note codes used by the parser.
namespace ta1 {
inline constexpr std::string_view kNoError = "000";
inline constexpr std::string_view kControlNumberMismatch = "001";  // ISA13 != IEA02
inline constexpr std::string_view kVersionNotSupported = "003";    // ISA12
inline constexpr std::string_view kInvalidSegmentTerminator = "004";
inline constexpr std::string_view kInvalidSenderQualifier = "005";         // ISA05
inline constexpr std::string_view kInvalidSenderId = "006";                // ISA06
inline constexpr std::string_view kInvalidReceiverQualifier = "007";       // ISA07
inline constexpr std::string_view kInvalidReceiverId = "008";              // ISA08
inline constexpr std::string_view kInvalidAuthorizationQualifier = "010";  // ISA01
inline constexpr std::string_view kInvalidAuthorization = "011";           // ISA02
inline constexpr std::string_view kInvalidSecurityQualifier = "012";       // ISA03
inline constexpr std::string_view kInvalidSecurity = "013";                // ISA04
inline constexpr std::string_view kInvalidDate = "014";                    // ISA09
inline constexpr std::string_view kInvalidTime = "015";                    // ISA10
inline constexpr std::string_view kInvalidStandardsId = "016";             // ISA11
inline constexpr std::string_view kInvalidVersion = "017";                 // ISA12
inline constexpr std::string_view kInvalidControlNumber = "018";           // ISA13
inline constexpr std::string_view kInvalidAckRequested = "019";            // ISA14
inline constexpr std::string_view kInvalidTestIndicator = "020";           // ISA15
inline constexpr std::string_view kInvalidGroupCount = "021";              // IEA01
inline constexpr std::string_view kInvalidControlStructure = "022";
inline constexpr std::string_view kPrematureEnd = "023";  // no IEA
inline constexpr std::string_view kInvalidContent = "024";
inline constexpr std::string_view kInvalidElementSeparator = "026";
inline constexpr std::string_view kInvalidComponentSeparator = "027";  // ISA16
}  // namespace ta1

// AK905..AK909 functional group syntax error codes.
namespace ak9 {
inline constexpr std::string_view kTrailerMissing = "3";           // no GE
inline constexpr std::string_view kControlNumberMismatch = "4";    // GS06 != GE02
inline constexpr std::string_view kTransactionCountWrong = "5";    // GE01
inline constexpr std::string_view kInvalidControlNumber = "6";     // GS06 syntax
inline constexpr std::string_view kControlNumberNotUnique = "19";  // GS06 repeated
}  // namespace ak9

// IK502..IK506 transaction set syntax error codes.
namespace ik5 {
inline constexpr std::string_view kNotSupported = "1";
inline constexpr std::string_view kTrailerMissing = "2";         // no SE
inline constexpr std::string_view kControlNumberMismatch = "3";  // ST02 != SE02
inline constexpr std::string_view kSegmentCountWrong = "4";      // SE01
inline constexpr std::string_view kSegmentsInError = "5";
inline constexpr std::string_view kInvalidIdentifier = "6";     // ST01
inline constexpr std::string_view kInvalidControlNumber = "7";  // ST02
inline constexpr std::string_view kNotInGroup = "18";
inline constexpr std::string_view kControlNumberNotUnique = "23";
}  // namespace ik5

// IK304 segment syntax error codes.
namespace ik3 {
inline constexpr std::string_view kUnrecognizedId = "1";
inline constexpr std::string_view kUnexpected = "2";
inline constexpr std::string_view kRequiredMissing = "3";
inline constexpr std::string_view kLoopOverMaximum = "4";
inline constexpr std::string_view kSegmentOverMaximum = "5";
inline constexpr std::string_view kNotInTransactionSet = "6";
inline constexpr std::string_view kOutOfSequence = "7";
inline constexpr std::string_view kElementErrors = "8";
}  // namespace ik3

// IK403 element syntax error codes.
namespace ik4 {
inline constexpr std::string_view kRequiredMissing = "1";
inline constexpr std::string_view kTooManyElements = "3";
inline constexpr std::string_view kTooLong = "5";
inline constexpr std::string_view kInvalidCharacter = "6";
inline constexpr std::string_view kInvalidCode = "7";
inline constexpr std::string_view kTooManyRepetitions = "12";
inline constexpr std::string_view kTooManyComponents = "13";
}  // namespace ik4

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// One problem and where it is. Indices refer to the Document that produced it: `interchange`,
// `group` (within the interchange) and `transaction` (within the group) are kNone above the
// finding's level; `segment` is the document's segment index (kNone for a missing segment, whose
// id is still in `segment_id`).
struct Finding {
  Level level = Level::kSegment;
  std::string_view code;  // one of the constants above
  std::uint32_t interchange = kNone;
  std::uint32_t group = kNone;
  std::uint32_t transaction = kNone;
  std::uint32_t segment = kNone;
  std::uint32_t position = 0;  // IK302: position in the transaction set, ST = 1
  std::string segment_id;      // IK301 (or the envelope segment at fault)
  std::string loop_id;         // IK303, when known
  int element = 0;             // IK401-1, 1-based
  int component = 0;           // IK401-2, 0 = the whole element
  int repetition = 0;          // IK401-3, 0 = not repeated
  std::string bad_value;       // IK404 (at most 99 characters)
  std::string message;         // for people and logs; never contains element values
};

// "ST[3]-2.1"-style location text for a finding, used as an Issue expression.
std::string format_location(const Finding& finding);

}  // namespace hearth::hl7::x12
