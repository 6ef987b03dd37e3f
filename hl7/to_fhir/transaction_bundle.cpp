// write_transaction_bundle: identity keys to aliases, one pass of builder calls over the entries,
// then the aliases replaced in the built resources.
#include "hl7/to_fhir/transaction_bundle.h"

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hearth::hl7::to_fhir {
namespace {

using Aliases = std::unordered_map<std::string_view, std::string_view>;

// Every string in `value` that is an alias ("urn:uuid:...") replaced by the fullUrl it stands for.
void replace_aliases(fhir::JsonValue& value, const Aliases& aliases, fhir::JsonAllocator& a) {
  if (value.IsObject()) {
    for (auto& member : value.GetObject()) replace_aliases(member.value, aliases, a);
  } else if (value.IsArray()) {
    for (auto& item : value.GetArray()) replace_aliases(item, aliases, a);
  } else if (fhir::is_json_string(value)) {
    const std::string_view text = fhir::json_string(value);
    if (!text.starts_with("urn:uuid:")) return;
    if (auto alias = aliases.find(text); alias != aliases.end()) {
      value.SetString(alias->second.data(), static_cast<rapidjson::SizeType>(alias->second.size()),
                      a);
    }
  }
}

}  // namespace

Result<fhir::JsonDocument> write_transaction_bundle(
    ResourceBuilder& builder, const std::function<EntryRequest(const Resource&)>& request_of,
    std::size_t* entry_count) {
  builder.drop_references_to_empty();
  // fullUrls are viewed in the builder's resources, which outlive this call.
  std::map<std::string, std::string_view> first_by_key;  // key -> fullUrl
  Aliases aliases;                                       // fullUrl -> the entry it is
  std::vector<std::pair<const Resource*, EntryRequest>> entries;
  for (const auto& resource : builder.resources()) {
    if (resource->root->empty()) continue;
    EntryRequest request = request_of(*resource);
    if (!request.key.empty()) {
      auto [it, fresh] = first_by_key.emplace(request.key, resource->full_url);
      if (!fresh) {
        aliases.emplace(resource->full_url, it->second);
        continue;
      }
    }
    entries.emplace_back(resource.get(), std::move(request));
  }
  const auto write = [&entries](fhir::JsonBuilder& json) {
    json.StartObject();
    json.Key("resourceType");
    json.String("Bundle");
    json.Key("type");
    json.String("transaction");
    json.Key("entry");
    json.StartArray();
    for (const auto& [resource, request] : entries) {
      json.StartObject();
      json.Key("fullUrl");
      json.String(resource->full_url.data(), resource->full_url.size());
      json.Key("resource");
      ResourceBuilder::write(*resource, json);
      json.Key("request");
      json.StartObject();
      json.Key("method");
      json.String(request.method.data(), request.method.size());
      json.Key("url");
      json.String(request.url.data(), request.url.size());
      if (!request.if_none_exist.empty()) {
        json.Key("ifNoneExist");
        json.String(request.if_none_exist.data(), request.if_none_exist.size());
      }
      json.EndObject();
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  };
  HEARTH_ASSIGN_OR_RETURN(fhir::JsonDocument doc, fhir::build_json(write));
  if (!aliases.empty()) {
    for (auto& entry : doc["entry"].GetArray()) {
      replace_aliases(entry["resource"], aliases, doc.GetAllocator());
    }
  }
  *entry_count = entries.size();
  return doc;
}

}  // namespace hearth::hl7::to_fhir
