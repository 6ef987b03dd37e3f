// A literal v2 message mapped by MessageMapper, its transaction Bundle parsed, and its resources
// by type and by fullUrl: what the to_fhir tests look into.
#pragma once

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hl7/to_fhir/message_mapper.h"

namespace hearth::hl7::to_fhir::testing {

struct Bundle {
  rapidjson::Document doc;
  std::map<std::string, std::vector<const rapidjson::Value*>> by_type;
  std::map<std::string, const rapidjson::Value*> by_url;
};

inline std::function<std::string()> ids() {
  auto n = std::make_shared<int>(0);
  return [n] { return "id" + std::to_string(++*n); };
}

inline Result<MappedMessage> map_text(const std::string& raw, Bundle& bundle,
                                      ConversionOptions options = {}) {
  Result<Message> message = Message::parse(raw);
  REQUIRE(message.is_ok());
  Result<MappedMessage> mapped = MessageMapper(std::move(options)).map(*message, ids());
  if (!mapped.is_ok()) return mapped;
  bundle.doc.Parse(::hearth::fhir::write_json(mapped->bundle).c_str());
  REQUIRE_FALSE(bundle.doc.HasParseError());
  for (const auto& entry : bundle.doc["entry"].GetArray()) {
    const rapidjson::Value& resource = entry["resource"];
    bundle.by_type[resource["resourceType"].GetString()].push_back(&resource);
    if (entry.HasMember("fullUrl")) bundle.by_url[entry["fullUrl"].GetString()] = &resource;
  }
  return mapped;
}

// The reference of `element` (its first item when it repeats); "" when none.
inline std::string reference(const rapidjson::Value& resource, const char* element) {
  if (!resource.HasMember(element)) return {};
  const rapidjson::Value& value = resource[element];
  const rapidjson::Value& ref = value.IsArray() ? value[0] : value;
  return ref.HasMember("reference") ? ref["reference"].GetString() : "";
}

inline std::string full_url_of(const Bundle& bundle, const rapidjson::Value* resource) {
  for (const auto& [url, r] : bundle.by_url) {
    if (r == resource) return url;
  }
  return {};
}

}  // namespace hearth::hl7::to_fhir::testing
