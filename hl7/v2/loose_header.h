// The MSH fields of bytes that did not parse, read as well as they can be: the archive keeps
// sender, control id, type and version of a rejected message, and a reject ACK is addressed
// from them. MSH-n is piece n-1 of the first line that starts with "MSH", split at the
// character after "MSH" (MSH-1); no escapes, no character set (the caller converts).
//
// Pure function, thread-safe. Reads at most the first 12 fields, whatever the input's size.
#pragma once

#include <string>
#include <string_view>

namespace hearth::hl7 {

struct LooseHeader {
  std::string sender;        // MSH-3 "|" MSH-4, raw
  std::string control_id;    // MSH-10
  std::string message_type;  // MSH-9 cut after its second component: "ORU^R01"
  std::string version;       // MSH-12
};

// All empty when there is no "MSH" followed by a separator.
LooseHeader read_loose_header(std::string_view raw);

}  // namespace hearth::hl7
