// Decoding, validation and stamping of resource bodies.
#include "api/resource_body.h"

#include "api/format.h"
#include "core/time_format.h"
#include "fhir/model.h"
#include "fhir/validate.h"

namespace hearth::api {

Result<fhir::JsonDocument> decode_resource(const Request& request, std::string_view type) {
  HEARTH_RETURN_IF_ERROR(check_body_content_type(request));
  if (request.body.empty()) return Status(Code::kMalformed, "the request has no body");
  Result<fhir::JsonDocument> parsed = fhir::parse_json(request.body);
  if (!parsed.is_ok()) return parsed;
  fhir::JsonDocument& doc = parsed.value();
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
  HEARTH_RETURN_IF_ERROR(fhir::validate_resource(doc, type));
  return parsed;
}

std::string stamp_resource(fhir::JsonDocument& resource, std::string_view id,
                           std::int64_t version, std::int64_t last_updated_micros) {
  auto& alloc = resource.GetAllocator();
  fhir::JsonValue meta(rapidjson::kObjectType);
  meta.AddMember("versionId", fhir::make_json_string(std::to_string(version), alloc), alloc);
  meta.AddMember("lastUpdated",
                 fhir::make_json_string(format_instant(last_updated_micros), alloc), alloc);

  fhir::JsonValue out(rapidjson::kObjectType);
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
          if (mname != "versionId" && mname != "lastUpdated") {
            meta.AddMember(std::move(m.name), std::move(m.value), alloc);
          }
        }
      }
    } else {
      out.AddMember(std::move(member.name), std::move(member.value), alloc);
    }
  }
  // Rebuild in the conventional order: resourceType, id, meta, everything else.
  fhir::JsonValue ordered(rapidjson::kObjectType);
  ordered.AddMember("resourceType", std::move(resource_type), alloc);
  ordered.AddMember("id", fhir::make_json_string(id, alloc), alloc);
  ordered.AddMember("meta", std::move(meta), alloc);
  for (auto& member : out.GetObject()) {
    ordered.AddMember(std::move(member.name), std::move(member.value), alloc);
  }
  static_cast<fhir::JsonValue&>(resource).Swap(ordered);
  return fhir::write_json(resource);
}

}  // namespace hearth::api
