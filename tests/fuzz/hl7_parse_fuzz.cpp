// HL7 v2: parse arbitrary bytes as a batch; whatever parses must write back byte-identical and
// be acknowledgeable, and a value set through the API must read back; whatever fails must yield a
// reject ACK. The same bytes feed the MLLP deframer. Invariants: no crash, no hang, errors as
// values.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hl7/ack.h"
#include "hl7/batch.h"
#include "hl7/mllp_framer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hearth::hl7::AckOptions options;
  options.control_id = "ACK1";
  options.timestamp = "20260301120000";
  hearth::hl7::ParseError error;
  auto batch = hearth::hl7::Batch::parse(text, &error);
  if (batch.is_ok()) {
    if (batch->write() != text) std::abort();
    for (const auto& group : batch->groups()) {
      for (const auto& message : group.messages) {
        std::string ack = hearth::hl7::build_ack(message, hearth::hl7::AckCode::kAA, {}, options);
        if (!hearth::hl7::Message::parse(ack).is_ok()) std::abort();
        std::string buffer;
        (void)message.get_decoded(hearth::hl7::Path{"PID", 1, 5, 1, 1, 0}, buffer);
      }
    }
    // Edits: any text set through the API reads back unchanged after a write and a re-parse.
    // (A batch group may be empty: BHS BTS with nothing between; Batch::parse found a message.)
    hearth::hl7::Message* first_ptr = nullptr;
    for (auto& group : batch->groups()) {
      if (first_ptr == nullptr && !group.messages.empty()) first_ptr = &group.messages.front();
    }
    auto& first = *first_ptr;
    std::string value(text.substr(0, 64));
    if (first.charset() != hearth::hl7::Charset::kLatin1 && first.add_segment("ZZZ").is_ok() &&
        first.set("ZZZ-1[2].2.3", value).is_ok()) {
      auto reparsed = hearth::hl7::Message::parse_owned(first.write());
      if (!reparsed.is_ok()) std::abort();
      auto read = reparsed->get_text("ZZZ-1[2].2.3");
      if (!read.is_ok() || *read != value) std::abort();
    }
  } else {
    (void)hearth::hl7::build_reject_ack(text, error, options);
  }
  hearth::hl7::MllpDeframer deframer(1024);
  deframer.feed(text.substr(0, size / 2));
  deframer.feed(text.substr(size / 2));
  while (auto frame = deframer.next()) {
  }
  return 0;
}
