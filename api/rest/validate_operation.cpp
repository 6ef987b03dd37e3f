// $validate (https://hl7.org/fhir/R4/resource-operation-validate.html) at the system, type and
// instance levels: the body is the resource, or a Parameters with `resource` (and `mode`,
// `profile`); the answer is always 200 with an OperationOutcome listing every issue the write
// path's validation finds (fhir/validate.h), warnings included, rooted at the resource, never
// at the Parameters wrapper, then the issues of the `profile` asked for and of each profile the
// resource and the resources inside it claim in meta.profile, stored StructureDefinitions
// (profile_source.h). Nothing is written to the store.
#include <algorithm>
#include <string>
#include <vector>

#include "api/rest/interactions.h"
#include "api/rest/outcome.h"
#include "api/rest/profile_source.h"
#include "fhir/validate.h"
#include "fhir/xml/xml_reader.h"

namespace hearth::api {
namespace {

constexpr std::string_view kParametersPrefix = "Parameters.parameter[";

std::string_view string_member(const fhir::JsonValue& obj, std::string_view name) {
  auto it = obj.FindMember(rapidjson::StringRef(name.data(), name.size()));
  if (it == obj.MemberEnd() || !fhir::is_json_string(it->value)) return {};
  return fhir::json_string(it->value);
}

// What a $validate body asks: the resource, and the Parameters' mode and profile when wrapped.
struct ValidateRequest {
  const fhir::JsonValue* resource = nullptr;
  std::string_view mode;
  std::string_view profile;
  std::vector<Issue> issues;  // the wrapper's own issues
};

ValidateRequest read_body(const fhir::JsonDocument& doc, std::string_view route_type) {
  ValidateRequest out;
  out.resource = &doc;
  if (string_member(doc, "resourceType") != "Parameters" || route_type == "Parameters") {
    return out;
  }
  auto params = doc.FindMember("parameter");
  std::string resource_prefix;
  const fhir::JsonValue* resource = nullptr;
  rapidjson::SizeType count =
      params != doc.MemberEnd() && params->value.IsArray() ? params->value.Size() : 0;
  for (rapidjson::SizeType i = 0; i < count; ++i) {
    const fhir::JsonValue& p = params->value[i];
    if (!p.IsObject()) continue;
    std::string_view name = string_member(p, "name");
    if (name == "resource" && p.HasMember("resource")) {
      resource = &p["resource"];
      resource_prefix = std::string(kParametersPrefix) + std::to_string(i) + "].resource";
    } else if (name == "mode") {
      out.mode = string_member(p, "valueCode");
    } else if (name == "profile") {
      out.profile = string_member(p, "valueUri");
      if (out.profile.empty()) out.profile = string_member(p, "valueCanonical");
    }
  }
  if (resource == nullptr) {
    out.issues.push_back(Issue{Severity::kError, "required",
                               "the Parameters has no 'resource' parameter to validate",
                               "Parameters.parameter"});
    out.resource = nullptr;
    return out;
  }
  // The Parameters is validated like any resource, except the part that is the resource, which
  // is validated on its own so that its issues are rooted at it.
  for (Issue& issue : fhir::validation_issues(doc, "Parameters")) {
    if (issue.expression.starts_with(resource_prefix)) continue;
    out.issues.push_back(std::move(issue));
  }
  out.resource = resource;
  return out;
}

Response outcome(std::vector<Issue> issues, const ResponseFormat& format) {
  if (issues.empty()) {
    issues.push_back(Issue{Severity::kInformation, "informational", "no issues found", ""});
  }
  return fhir_response(200, operation_outcome_json(Status(Code::kOk, std::move(issues)), false),
                       format);
}

}  // namespace

Result<Response> validate_operation(const InteractionContext& ctx) {
  HEARTH_ASSIGN_OR_RETURN(const Format format, body_format(ctx.request));
  if (ctx.request.body.empty()) {
    return outcome({Issue{Severity::kError, "required", "the request has no body", ""}},
                   ctx.format);
  }
  Result<fhir::JsonDocument> parsed =
      format == Format::kXml ? fhir::parse_xml_resource(ctx.request.body, ctx.limits.xml)
                             : fhir::parse_json(ctx.request.body);
  if (!parsed.is_ok()) {
    if (parsed.status().code() == Code::kPayloadTooLarge) return parsed.status();
    std::vector<Issue> issues = parsed.status().issues();
    for (Issue& i : issues) {
      i.severity = Severity::kFatal;
      if (i.type.empty()) i.type = "structure";
    }
    return outcome(std::move(issues), ctx.format);
  }
  ValidateRequest body = read_body(*parsed, ctx.route.type);
  std::vector<Issue> issues = std::move(body.issues);
  if (body.mode == "delete") {
    // Hearth keeps no referential integrity: nothing prevents a delete.
    issues.push_back(Issue{Severity::kInformation, "informational",
                           "mode delete: nothing prevents deleting this resource", ""});
    return outcome(std::move(issues), ctx.format);
  }
  if (!body.mode.empty() && body.mode != "create" && body.mode != "update") {
    issues.push_back(Issue{
        Severity::kError, "value",
        "unknown mode '" + std::string(body.mode.substr(0, 40)) + "' (create, update or delete)",
        "Parameters.parameter"});
  }
  if (body.resource == nullptr) return outcome(std::move(issues), ctx.format);
  std::string_view type = string_member(*body.resource, "resourceType");
  // The profile asked for, then every claim (the resource's own, each once, then its contained
  // resources' and a Bundle's entries').
  if (!body.profile.empty()) {
    std::vector<Issue> found =
        validate_against_stored_profile(ctx.reader, *body.resource, body.profile);
    issues.insert(issues.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));
  }
  {
    std::vector<Issue> found = claimed_profile_issues(ctx.reader, *body.resource, body.profile);
    issues.insert(issues.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));
  }
  std::vector<Issue> found =
      fhir::validation_issues(*body.resource, ctx.route.type, fhir::Invariants::kChecked,
                              fhir::ValidationScope::kOperation);
  issues.insert(issues.end(), std::make_move_iterator(found.begin()),
                std::make_move_iterator(found.end()));
  std::string_view id = string_member(*body.resource, "id");
  if (!ctx.route.id.empty() && id != ctx.route.id) {
    issues.push_back(Issue{Severity::kError, "invariant",
                           "the resource id '" + std::string(id.substr(0, 64)) +
                               "' does not match the URL id '" + ctx.route.id + "'",
                           std::string(type) + ".id"});
  } else if (body.mode == "update" && id.empty()) {
    issues.push_back(Issue{Severity::kError, "required", "mode update needs the resource id",
                           std::string(type) + ".id"});
  }
  return outcome(std::move(issues), ctx.format);
}

}  // namespace hearth::api
