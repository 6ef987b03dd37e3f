// Choosing the patch engine by Content-Type and checking what it produced.
#include "api/rest/patch_body.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "api/rest/format.h"
#include "api/rest/resource_body.h"
#include "fhir/patch/fhirpath_patch.h"
#include "fhir/patch/json_patch.h"

namespace hearth::api {
namespace {

// Is the media type of Content-Type `header` (parameters and case ignored) json-patch+json?
bool is_json_patch(std::string_view header) {
  std::string_view type = header.substr(0, header.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return std::ranges::equal(type, kJsonPatchContentType, [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
}

Status unsupported(std::string_view content_type) {
  return Status(Code::kUnsupportedMediaType,
                "PATCH takes Content-Type application/json-patch+json (JSON Patch) or "
                "application/fhir+json / application/fhir+xml (FHIRPath Patch: a Parameters "
                "resource), not '" +
                    std::string(content_type.substr(0, 128)) + "'");
}

std::string_view string_member(const fhir::JsonValue& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !fhir::is_json_string(it->value)) return {};
  return fhir::json_string(it->value);
}

// Applies a FHIRPath Patch body in the FHIR format `content_type` names.
Status apply_fhirpath_body(std::string_view content_type, std::string_view body,
                           const fhir::XmlLimits& xml_limits, fhir::JsonDocument& doc) {
  Request as_request;
  as_request.content_type = std::string(content_type);
  Result<Format> format = body_format(as_request);
  if (!format.is_ok()) return unsupported(content_type);
  HEARTH_ASSIGN_OR_RETURN(auto parameters, *format == Format::kXml
                                               ? fhir::parse_xml_resource(body, xml_limits)
                                               : fhir::parse_json(body));
  if (!parameters.IsObject() || string_member(parameters, "resourceType") != "Parameters") {
    return Status(Code::kMalformed,
                  "a FHIR PATCH body must be a Parameters resource (FHIRPath Patch); for JSON "
                  "Patch send Content-Type application/json-patch+json");
  }
  return fhir::patch::apply_fhirpath_patch(parameters, doc);
}

}  // namespace

Result<fhir::JsonDocument> apply_patch_body(const storage::ResourceVersion& current,
                                            std::string_view content_type, std::string_view body,
                                            const fhir::XmlLimits& xml_limits) {
  if (content_type.empty()) return unsupported(content_type);
  Result<fhir::JsonDocument> parsed = fhir::parse_json(current.body);
  if (!parsed.is_ok()) {
    return Status(Code::kInternal, "the stored body of " + current.type + "/" + current.id +
                                       " does not parse: " + parsed.status().message());
  }
  fhir::JsonDocument& doc = *parsed;
  if (is_json_patch(content_type)) {
    HEARTH_ASSIGN_OR_RETURN(auto patch, fhir::parse_json(body));
    HEARTH_RETURN_IF_ERROR(fhir::patch::apply_json_patch(patch, doc));
  } else {
    HEARTH_RETURN_IF_ERROR(apply_fhirpath_body(content_type, body, xml_limits, doc));
  }
  if (!doc.IsObject() || string_member(doc, "resourceType") != current.type) {
    return Status(Code::kUnprocessable,
                  "the patch changes the resource type of " + current.type + "/" + current.id);
  }
  if (string_member(doc, "id") != current.id) {
    return Status(Code::kUnprocessable,
                  "the patch changes or removes the id of " + current.type + "/" + current.id,
                  "id");
  }
  HEARTH_RETURN_IF_ERROR(check_resource(doc, current.type));
  return parsed;
}

}  // namespace hearth::api
