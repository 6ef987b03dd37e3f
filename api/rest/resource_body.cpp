// Decoding, validation and stamping of resource bodies.
#include "api/rest/resource_body.h"

#include <algorithm>
#include <cassert>

#include "api/rest/format.h"
#include "core/time_format.h"
#include "fhir/model.h"
#include "fhir/validate.h"
#include "fhir/xml/xml_reader.h"

namespace hearth::api {

Result<fhir::JsonDocument> parse_body(const Request& request, const fhir::XmlLimits& xml_limits) {
  HEARTH_ASSIGN_OR_RETURN(const Format format, body_format(request));
  if (request.body.empty()) return Status(Code::kMalformed, "the request has no body");
  return format == Format::kXml ? fhir::parse_xml_resource(request.body, xml_limits)
                                : fhir::parse_json(request.body);
}

Result<fhir::JsonDocument> decode_resource(const Request& request, std::string_view type,
                                           const fhir::XmlLimits& xml_limits) {
  Result<fhir::JsonDocument> parsed = parse_body(request, xml_limits);
  if (!parsed.is_ok()) return parsed;
  HEARTH_RETURN_IF_ERROR(check_resource(*parsed, type));
  return parsed;
}

Status check_resource(const fhir::JsonDocument& doc, std::string_view type) {
  if (!doc.IsObject()) return Status(Code::kMalformed, "the body is not a JSON object");
  auto rt = doc.FindMember("resourceType");
  if (rt == doc.MemberEnd() || !fhir::is_json_string(rt->value)) {
    return Status(Code::kMalformed, "the body has no resourceType", "resourceType");
  }
  std::string_view body_type = fhir::json_string(rt->value);
  if (body_type != type) {
    return Status(Code::kMalformed,
                  "resourceType '" + std::string(body_type) + "' does not match the URL's '" +
                      std::string(type) + "'",
                  "resourceType");
  }
  return fhir::validate_resource(doc, type);
}

void set_meta_source(fhir::JsonValue& resource, fhir::JsonAllocator& alloc,
                     std::string_view source) {
  auto meta = resource.FindMember("meta");
  if (meta == resource.MemberEnd()) {
    resource.AddMember("meta", fhir::JsonValue(rapidjson::kObjectType), alloc);
    meta = resource.FindMember("meta");
  }
  if (!meta->value.IsObject()) meta->value.SetObject();
  auto existing = meta->value.FindMember("source");
  if (existing != meta->value.MemberEnd()) {
    existing->value = fhir::make_json_string(source, alloc);
  } else {
    meta->value.AddMember("source", fhir::make_json_string(source, alloc), alloc);
  }
}

namespace {

// What follows lastUpdated's value in a body stamped with a source slot, up to the source's value.
constexpr std::string_view kSourceKey = "\",\"source\":\"";

bool needs_json_escape(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
}

}  // namespace

void drop_meta_source(fhir::JsonValue& resource) {
  auto meta = resource.FindMember("meta");
  if (meta != resource.MemberEnd() && meta->value.IsObject()) meta->value.RemoveMember("source");
}

StampedBody::StampedBody(fhir::JsonValue& resource, fhir::JsonAllocator& alloc, std::string_view id,
                         bool source_at_render)
    : source_slot_(source_at_render) {
  // versionId and lastUpdated go first in meta, empty, so their values sit at a known place;
  // a source left to render() follows them, empty.
  fhir::JsonValue meta(rapidjson::kObjectType);
  meta.AddMember("versionId", "", alloc);
  meta.AddMember("lastUpdated", "", alloc);
  if (source_at_render) meta.AddMember("source", "", alloc);

  fhir::JsonValue rest(rapidjson::kObjectType);
  fhir::JsonValue resource_type;
  for (auto& member : resource.GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (name == "resourceType") {
      resource_type = std::move(member.value);
    } else if (name == "id") {
      continue;
    } else if (name == "meta") {
      if (member.value.IsObject()) {
        for (auto& m : member.value.GetObject()) {
          std::string_view mname(m.name.GetString(), m.name.GetStringLength());
          if (mname != "versionId" && mname != "lastUpdated" &&
              !(source_at_render && mname == "source")) {
            meta.AddMember(std::move(m.name), std::move(m.value), alloc);
          }
        }
      }
    } else {
      rest.AddMember(std::move(member.name), std::move(member.value), alloc);
    }
  }
  fhir::JsonValue ordered(rapidjson::kObjectType);
  ordered.AddMember("resourceType", std::move(resource_type), alloc);
  ordered.AddMember("id", fhir::make_json_string(id, alloc), alloc);
  ordered.AddMember("meta", std::move(meta), alloc);
  for (auto& member : rest.GetObject()) {
    ordered.AddMember(std::move(member.name), std::move(member.value), alloc);
  }
  resource.Swap(ordered);

  // The type is a known resource name and the id matches [A-Za-z0-9-.]: neither is escaped,
  // so the text up to versionId's value has exactly this shape.
  std::string text = fhir::write_json(resource);
  constexpr std::string_view kVersionKey = "\",\"meta\":{\"versionId\":\"";
  constexpr std::string_view kBetween = "\",\"lastUpdated\":\"";
  std::size_t head_size = std::string_view("{\"resourceType\":\"").size() +
                          std::string_view(resource["resourceType"].GetString()).size() +
                          std::string_view("\",\"id\":\"").size() + id.size() + kVersionKey.size();
  assert(text.compare(head_size - kVersionKey.size(), kVersionKey.size(), kVersionKey) == 0);
  head_ = text.substr(0, head_size);
  tail_ = text.substr(head_size + kBetween.size());
  assert(!source_slot_ || tail_.compare(0, kSourceKey.size(), kSourceKey) == 0);
}

std::vector<storage::Blob> StampedBody::detach_blobs(bool binary) {
  return storage::detach_blobs(tail_, binary);  // head_ holds resourceType, id and "meta" only
}

std::string StampedBody::render(std::int64_t version, std::int64_t last_updated_micros,
                                std::string_view source) const {
  std::string version_text = std::to_string(version);
  std::string instant = format_instant(last_updated_micros);
  constexpr std::string_view kBetween = "\",\"lastUpdated\":\"";
  std::string body;
  body.reserve(head_.size() + version_text.size() + kBetween.size() + instant.size() +
               tail_.size() + source.size());
  body.append(head_).append(version_text).append(kBetween).append(instant);
  if (!source_slot_) return body.append(tail_);
  // tail_: `","source":"` `"` and the rest; without a source the member is left out.
  const std::string_view tail(tail_);
  if (source.empty()) return body.append(1, '"').append(tail.substr(kSourceKey.size() + 1));
  body.append(kSourceKey);
  if (needs_json_escape(source)) {
    const std::string quoted = fhir::write_json(
        fhir::JsonValue(rapidjson::StringRef(source.data(), source.size())));  // "..." escaped
    body.append(std::string_view(quoted).substr(1, quoted.size() - 2));
  } else {
    body.append(source);
  }
  return body.append(tail.substr(kSourceKey.size()));
}

}  // namespace hearth::api
