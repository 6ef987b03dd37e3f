// The operator's view of HL7 v2 (api/hl7_message_view.h): whatever Batch::parse accepts must
// turn into a decoded view and JSON that RapidJSON reads back as valid UTF-8 JSON; whatever it
// rejects must give a parse-error JSON. Invariants: no crash, no hang, valid output.
#include <rapidjson/document.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/hl7/view_json.h"
#include "hl7/v2/batch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hearth::hl7::ParseError error;
  auto batch = hearth::hl7::Batch::parse(text, &error);
  const std::string json = hearth::api::pretty_json([&](hearth::api::PrettyJsonWriter& w) {
    w.StartArray();
    if (batch.is_ok()) {
      for (const auto& group : batch->groups()) {
        for (const auto& message : group.messages) {
          hearth::api::write_hl7_view(w, hearth::hl7::view_of(message));
        }
      }
    } else {
      hearth::api::write_parse_error(w, error);
    }
    w.EndArray();
  });
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsArray()) std::abort();
  return 0;
}
