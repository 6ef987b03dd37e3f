// write_transaction_bundle: identity keys to aliases, then one rapidjson pass over the entries.
#include "hl7/to_fhir/transaction_bundle.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hearth::hl7::to_fhir {
namespace {

// `json` with every "urn:uuid:..." string that is an alias replaced by the one it stands for.
std::string replace_aliases(const std::string& json,
                            const std::unordered_map<std::string, std::string>& aliases) {
  constexpr std::string_view kOpen = "\"urn:uuid:";
  std::string out;
  out.reserve(json.size());
  std::size_t from = 0;
  for (std::size_t at; (at = json.find(kOpen, from)) != std::string::npos;) {
    const std::size_t close = json.find('"', at + 1);
    if (close == std::string::npos) break;
    out.append(json, from, at + 1 - from);
    const std::string url = json.substr(at + 1, close - at - 1);
    auto alias = aliases.find(url);
    out += alias == aliases.end() ? url : alias->second;
    from = close;
  }
  out.append(json, from, std::string::npos);
  return out;
}

}  // namespace

std::string write_transaction_bundle(ResourceBuilder& builder,
                                     const std::function<EntryRequest(const Resource&)>& request_of,
                                     std::size_t* entry_count) {
  builder.drop_references_to_empty();
  std::map<std::string, std::string> first_by_key;       // key -> fullUrl
  std::unordered_map<std::string, std::string> aliases;  // fullUrl -> the entry it is
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
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("resourceType");
  writer.String("Bundle");
  writer.Key("type");
  writer.String("transaction");
  writer.Key("entry");
  writer.StartArray();
  for (const auto& [resource, request] : entries) {
    std::string json = ResourceBuilder::to_json(*resource);
    if (!aliases.empty()) json = replace_aliases(json, aliases);
    writer.StartObject();
    writer.Key("fullUrl");
    writer.String(resource->full_url.c_str());
    writer.Key("resource");
    writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    writer.Key("request");
    writer.StartObject();
    writer.Key("method");
    writer.String(request.method.c_str());
    writer.Key("url");
    writer.String(request.url.c_str());
    if (!request.if_none_exist.empty()) {
      writer.Key("ifNoneExist");
      writer.String(request.if_none_exist.c_str());
    }
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  *entry_count = entries.size();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace hearth::hl7::to_fhir
