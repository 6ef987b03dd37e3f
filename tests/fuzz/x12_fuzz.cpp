// X12: parse arbitrary bytes; whatever parses must write back byte-identical, its findings must
// acknowledge (TA1/999) and the acknowledgment must itself parse. Invariants: no crash, no hang,
// errors as values.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = hearth::hl7::x12::Document::parse(text);
  if (!doc.is_ok()) return 0;
  if (doc->write() != text) std::abort();
  for (std::size_t i = 0; i < doc->segment_count(); ++i) {
    (void)doc->component(i, 1, 2, 2);
    (void)doc->loop_of(i);
  }
  for (std::size_t i = 0; i < doc->interchanges().size(); ++i) {
    const auto ack = hearth::hl7::x12::acknowledge(*doc, i);
    const std::string out = hearth::hl7::x12::write_acknowledgment(*doc, i, ack, {});
    if (!hearth::hl7::x12::Document::parse(out).is_ok()) std::abort();
  }
  return 0;
}
