// The OBX segments read in order, their OBX-5 repetitions gathered by OBX-2, then written as
// content items after any the IG's rows made.
#include "hl7/to_fhir/document_content.h"

#include <string>
#include <vector>

#include "core/base64.h"
#include "hl7/to_fhir/v2_value.h"

namespace hearth::hl7::to_fhir {
namespace {

// Content instances this file writes: after the IG's content[1..4].
constexpr int kFirstInstance = 100;

bool add_attachment(Node& document, int instance, std::string_view content_type,
                    std::string_view data, std::string_view url) {
  Result<Node*> content = document.child("content", {instance, 1});
  if (!content) return false;
  Result<Node*> attachment = (*content)->child("attachment", {});
  if (!attachment) return false;
  const std::pair<const char*, std::string> parts[] = {
      {"contentType", std::string(content_type)},
      {"data", data.empty() ? std::string() : encode_base64(data)},
      {"url", std::string(url)}};
  for (const auto& [name, value] : parts) {
    if (value.empty()) continue;
    if (Result<Node*> part = (*attachment)->child(name, {})) (*part)->set(value);
  }
  return true;
}

}  // namespace

int add_document_content(const Message& message, Node& document) {
  std::string text, formatted;
  bool has_text = false, has_formatted = false;
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < message.segment_count(); ++i) {
    if (message.segment_id(i) != "OBX") continue;
    const std::vector<V2Value> type = field_repetitions(message, i, 2);
    const std::string kind = type.empty() ? std::string() : type[0].text();
    const std::vector<V2Value> values = field_repetitions(message, i, 5);
    if (kind == "TX" || kind == "ST") {
      // OBX[DocumentReference] OBX-5 IF OBX-2="TX": "each repeat yields a line feed".
      for (const V2Value& value : values) {
        if (has_text) text += '\n';
        text += value.whole_text();
        has_text = true;
      }
    } else if (kind == "FT") {
      // OBX[DocumentReference] OBX-5 IF OBX-2="FT": likewise, as sent (text/hl7v2).
      for (const V2Value& value : values) {
        if (has_formatted) formatted += '\n';
        formatted += std::string(value.raw());
        has_formatted = true;
      }
    } else if (kind == "RP") {
      // OBX[DocumentReference] OBX-5 IF OBX-2="RP": "each repeat yields a new .content".
      for (const V2Value& value : values) {
        if (value.valued()) urls.push_back(value.part(1).text());
      }
    }
  }
  int added = 0;
  int instance = kFirstInstance;
  if (has_text && add_attachment(document, instance++, "application/text", text, {})) ++added;
  if (has_formatted && add_attachment(document, instance++, "text/hl7v2", formatted, {})) ++added;
  for (const std::string& url : urls) {
    if (add_attachment(document, instance++, {}, {}, url)) ++added;
  }
  return added;
}

}  // namespace hearth::hl7::to_fhir
