// Acknowledgments (v2.x chapter 2.9): original mode (AA/AE/AR) and enhanced mode (accept ACK
// CA/CE/CR, governed by MSH-15/MSH-16). The ACK mirrors the received MSH: sender and receiver
// swapped, MSH-9 ACK^<trigger>^ACK, a new MSH-10, the same processing id, version and charset;
// MSA-2 echoes the received MSH-10. Errors become ERR segments: for v2.5+ ERR-2 (location),
// ERR-3 (table 0357), ERR-4 (severity) and ERR-7 (diagnostics); before 2.5, ERR-1 as
// segment^sequence^field^code&text&HL70357 and the first diagnostic in MSA-3.
// No clock here: the caller passes the timestamp and control id.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/v2/error_code.h"
#include "hl7/v2/message.h"

namespace hearth::hl7 {

enum class AckCode { kAA, kAE, kAR, kCA, kCE, kCR };
std::string_view ack_code_text(AckCode code);

enum class AckSeverity { kError, kWarning, kInformation };  // ERR-4: E, W, I

struct AckError {
  ErrorCode code = ErrorCode::kApplicationInternalError;
  ErrorLocation location;
  AckSeverity severity = AckSeverity::kError;
  std::string diagnostics;
};

struct AckOptions {
  std::string control_id;  // MSH-10 of the ACK
  std::string timestamp;   // MSH-7, e.g. "20260301120000+0000"
  // Used when the received MSH is unreadable or names an unsupported version.
  std::string default_version = "2.5.1";
};

// How the receiver must acknowledge a message.
enum class AckMode { kOriginal, kEnhanced };
// Enhanced mode when MSH-15 or MSH-16 is valued.
AckMode ack_mode(const Message& message);

// What the sender gets once the message is (or is not) safely received: AA/AE/AR in original
// mode; in enhanced mode CA/CE/CR, or nullopt when MSH-15 (AL, NE, ER, SU; empty = AL) says no
// accept ACK is wanted for this outcome. `outcome` is the original-mode code (AA, AE or AR).
std::optional<AckCode> ack_code_for(const Message& message, AckCode outcome);

// The acknowledgment code (MSA-1) of an ER7 ACK, "" when it has no MSA; for logs and tests.
std::string ack_code_of(std::string_view ack);

// The ACK to `message` as ER7 (CR-separated, the message's delimiters).
std::string build_ack(const Message& message, AckCode code, const std::vector<AckError>& errors,
                      const AckOptions& options);

// The ACK to bytes that did not parse: AR (or CR when MSH-15/16 are readable and valued) with
// one ERR from `error`. Whatever of the MSH is readable (delimiters, sender, receiver, control
// id, processing id, version) is used; the rest falls back to defaults (`|^~\&`, empty
// applications, options.default_version).
std::string build_reject_ack(std::string_view raw, const ParseError& error,
                             const AckOptions& options);

}  // namespace hearth::hl7
