// HL7 v2 -> FHIR: map arbitrary bytes that parse as one message by the IG's maps. Invariants: no
// crash, no hang, errors as values, and every Bundle produced is one whose entries each carry a
// resource and a request, and whose JSON text reads back.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fhir/json.h"
#include "hl7/to_fhir/message_mapper.h"
#include "hl7/v2/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto message = hearth::hl7::Message::parse(text);
  if (!message.is_ok()) return 0;
  static const hearth::hl7::to_fhir::MessageMapper mapper;
  int ids = 0;
  auto mapped = mapper.map(*message, [&ids] { return std::to_string(++ids); });
  if (!mapped.is_ok()) return 0;
  const hearth::fhir::JsonDocument& bundle = mapped->bundle;
  if (!bundle.IsObject() || !bundle.HasMember("entry")) std::abort();
  for (const auto& entry : bundle["entry"].GetArray()) {
    if (!entry.HasMember("resource") || !entry.HasMember("request")) std::abort();
  }
  if (!hearth::fhir::parse_json(hearth::fhir::write_json(bundle)).is_ok()) std::abort();
  return 0;
}
