// write_transaction_bundle: identity keys to aliases, then one pass of builder calls over the
// entries, each resource written with the aliases replaced (ResourceBuilder::write).
#include "hl7/to_fhir/transaction_bundle.h"

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hearth::hl7::to_fhir {

Result<fhir::JsonDocument> write_transaction_bundle(
    ResourceBuilder& builder, const std::function<EntryRequest(const Resource&)>& request_of,
    std::size_t* entry_count) {
  builder.drop_references_to_empty();
  builder.merge_duplicate_codings();
  // fullUrls are viewed in the builder's resources, which outlive this call.
  std::map<std::string, std::string_view> first_by_key;  // key -> fullUrl
  FullUrlAliases aliases;                                // fullUrl -> the entry it is
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
  const auto write = [&entries, &aliases](fhir::JsonBuilder& json) {
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
      ResourceBuilder::write(*resource, json, aliases);
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
  *entry_count = entries.size();
  return doc;
}

}  // namespace hearth::hl7::to_fhir
