// A literal v2 message (or a corpus file) mapped by MessageMapper, its transaction Bundle parsed,
// and its resources by type and by fullUrl: what the to_fhir tests look into.
#pragma once

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hl7/to_fhir/message_mapper.h"
#include "to_fhir/corpus_support.h"

namespace hearth::hl7::to_fhir::testing {

struct Bundle {
  rapidjson::Document doc;
  std::map<std::string, std::vector<const rapidjson::Value*>> by_type;
  std::map<std::string, const rapidjson::Value*> by_url;

  // The fullUrl of the `index`th resource of `type` (REQUIREs that there is one).
  std::string url_of(const std::string& type, std::size_t index = 0) const {
    const auto found = by_type.find(type);
    REQUIRE_MESSAGE((found != by_type.end() && index < found->second.size()),
                    "no " << type << " [" << index << "] in the Bundle");
    for (const auto& entry : by_url) {
      if (entry.second == found->second[index]) return entry.first;
    }
    return {};
  }
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

// A corpus file mapped: the parsed message (to count its segments) and what the mapper made.
struct CorpusMapping {
  Message message;
  MappedMessage mapped;
};

// The corpus file `file` (relative to corpus_dir()), its segments ended by CR, parsed and mapped
// into `bundle`. REQUIREs that it reads, parses and maps (the mapper's message when it does not).
inline CorpusMapping map_corpus_file(std::string_view file, Bundle& bundle) {
  std::string raw = cr_segments(read_file(corpus_dir() / file));
  REQUIRE_FALSE(raw.empty());
  Result<Message> message = Message::parse_owned(raw);
  REQUIRE(message.is_ok());
  Result<MappedMessage> mapped = map_text(raw, bundle);
  REQUIRE_MESSAGE(mapped.is_ok(), mapped.status().message());
  return CorpusMapping{std::move(message).value(), std::move(mapped).value()};
}

// How many segments `id` the message has.
inline std::size_t count_segments(const Message& message, std::string_view id) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < message.segment_count(); ++i) n += message.segment_id(i) == id;
  return n;
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
