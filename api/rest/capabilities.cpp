// GET /metadata: a CapabilityStatement that claims exactly what this server does — every R4
// resource type with the interactions the route table serves and the search parameters the
// index answers (fhir/search/searchable.h) with the _include / _revinclude values they allow,
// nothing more.
#include <array>

#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "api/version.h"
#include "core/time_format.h"
#include "fhir/model.h"
#include "fhir/search/searchable.h"

namespace hearth::api {
namespace {

// The type-level and instance-level interactions of the route table (route.cpp).
constexpr std::array<std::string_view, 9> kTypeInteractions = {
    "read",         "vread",  "update",      "delete", "history-instance",
    "history-type", "create", "search-type", "patch"};

// The bodies PATCH takes (api/rest/patch_body.h).
constexpr std::array<std::string_view, 3> kPatchFormats = {
    "application/json-patch+json", "application/fhir+json", "application/fhir+xml"};

std::string_view param_type_code(fhir::SearchParamType type) {
  static constexpr std::array<std::string_view, 9> kCodes = {
      "number", "date", "string", "token", "reference", "composite", "quantity", "uri", "special"};
  return kCodes[static_cast<std::size_t>(type)];
}

void write_search_params(JsonWriter& w, std::string_view type) {
  w.Key("searchParam");
  w.StartArray();
  for (const fhir::SearchParamDef* param : fhir::search::searchable_params(type)) {
    w.StartObject();
    w.Key("name");
    write_str(w, param->code);
    w.Key("definition");
    write_str(w, param->url);
    w.Key("type");
    write_str(w, param_type_code(param->type));
    w.EndObject();
  }
  w.EndArray();
}

// rest.security: the SMART-on-FHIR service, and the authorization server's endpoints in the
// oauth-uris extension SMART clients read (SMART App Launch 1.0 "Conformance").
void write_security(JsonWriter& w, const SecurityDescription& security) {
  w.Key("security");
  w.StartObject();
  if (!security.authorize_url.empty() || !security.token_url.empty()) {
    w.Key("extension");
    w.StartArray();
    w.StartObject();
    w.Key("url");
    write_str(w, "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
    w.Key("extension");
    w.StartArray();
    for (auto [name, url] : {std::pair{"authorize", &security.authorize_url},
                             std::pair{"token", &security.token_url}}) {
      if (url->empty()) continue;
      w.StartObject();
      w.Key("url");
      write_str(w, name);
      w.Key("valueUri");
      write_str(w, *url);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    w.EndArray();
  }
  w.Key("service");
  w.StartArray();
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  w.StartObject();
  w.Key("system");
  write_str(w, "http://terminology.hl7.org/CodeSystem/restful-security-service");
  w.Key("code");
  write_str(w, "SMART-on-FHIR");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.Key("description");
  write_str(w, "Bearer JWTs (RS256 or ES256) issued by " + security.issuer +
                   " are required on every request but this one");
  w.EndObject();
}

// The operations served (validate_operation.cpp), at the type level and for the whole server,
// the terminology operations of CodeSystem, ValueSet and ConceptMap, and Patient's $everything
// (interactions.h).
struct TypeOperation {
  std::string_view type, name, definition;
};
constexpr TypeOperation kTypeOperations[] = {
    {"CodeSystem", "lookup", "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup"},
    {"CodeSystem", "subsumes", "http://hl7.org/fhir/OperationDefinition/CodeSystem-subsumes"},
    {"CodeSystem", "validate-code",
     "http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code"},
    {"ConceptMap", "translate", "http://hl7.org/fhir/OperationDefinition/ConceptMap-translate"},
    {"Patient", "everything", "http://hl7.org/fhir/OperationDefinition/Patient-everything"},
    // Outbound HL7 v2 (interactions.h, hl7v2_operation): Hearth's own, no published definition.
    {"Patient", "hl7v2", "urn:hearth:OperationDefinition/Patient-hl7v2"},
    {"DiagnosticReport", "hl7v2", "urn:hearth:OperationDefinition/DiagnosticReport-hl7v2"},
    // Outbound X12 (interactions.h, x12_operation): Hearth's own, no published definition.
    {"Claim", "x12", "urn:hearth:OperationDefinition/Claim-x12"},
    {"CoverageEligibilityRequest", "x12",
     "urn:hearth:OperationDefinition/CoverageEligibilityRequest-x12"},
    // Bulk Data (bulk_export.h): "" is the system level.
    {"", "export", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"},
    {"Patient", "export", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"},
    {"Group", "export", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"},
    {"ValueSet", "expand", "http://hl7.org/fhir/OperationDefinition/ValueSet-expand"},
    {"ValueSet", "validate-code", "http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code"},
};

void write_operations(JsonWriter& w, std::string_view type = {}) {
  w.Key("operation");
  w.StartArray();
  w.StartObject();
  w.Key("name");
  w.String("validate");
  w.Key("definition");
  w.String("http://hl7.org/fhir/OperationDefinition/Resource-validate");
  w.EndObject();
  for (const TypeOperation& op : kTypeOperations) {
    if (op.type != type) continue;
    w.StartObject();
    w.Key("name");
    write_str(w, op.name);
    w.Key("definition");
    write_str(w, op.definition);
    w.EndObject();
  }
  w.EndArray();
}

void write_resource(JsonWriter& w, std::string_view type, bool multiple_delete) {
  w.StartObject();
  w.Key("type");
  write_str(w, type);
  w.Key("profile");
  write_str(w, "http://hl7.org/fhir/StructureDefinition/" + std::string(type));
  w.Key("interaction");
  w.StartArray();
  for (std::string_view code : kTypeInteractions) {
    w.StartObject();
    w.Key("code");
    write_str(w, code);
    w.EndObject();
  }
  w.EndArray();
  w.Key("versioning");
  w.String("versioned-update");
  w.Key("readHistory");
  w.Bool(true);
  w.Key("updateCreate");
  w.Bool(true);
  // Conditional operations (transaction.cpp, read.cpp): If-None-Exist, If-None-Match and
  // If-Modified-Since, PUT/DELETE [type]?criteria; several deletions only when allowed.
  w.Key("conditionalCreate");
  w.Bool(true);
  w.Key("conditionalRead");
  w.String("full-support");
  w.Key("conditionalUpdate");
  w.Bool(true);
  w.Key("conditionalDelete");
  w.String(multiple_delete ? "multiple" : "single");
  // _include / _revinclude (search_includes.h): every reference parameter, from the official
  // definitions, and the wildcard.
  w.Key("searchInclude");
  w.StartArray();
  for (const std::string& value : fhir::search::include_values(type)) write_str(w, value);
  w.EndArray();
  w.Key("searchRevInclude");
  w.StartArray();
  for (const std::string& value : fhir::search::revinclude_values(type)) write_str(w, value);
  w.EndArray();
  write_search_params(w, type);
  write_operations(w, type);
  w.EndObject();
}

}  // namespace

Result<Response> capabilities_interaction(const InteractionContext& ctx) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("resourceType");
  w.String("CapabilityStatement");
  w.Key("status");
  w.String("active");
  w.Key("date");
  write_str(w, format_instant(ctx.clock.now_micros()));
  w.Key("publisher");
  w.String("Hearth");
  w.Key("kind");
  w.String("instance");
  // Bulk Data $export at the three levels (bulk_export.h).
  w.Key("instantiates");
  w.StartArray();
  w.String("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");
  w.EndArray();
  w.Key("software");
  w.StartObject();
  w.Key("name");
  w.String("Hearth");
  w.Key("version");
  write_str(w, kHearthVersion);
  w.EndObject();
  w.Key("implementation");
  w.StartObject();
  w.Key("description");
  write_str(w, "Hearth FHIR R4 server (" + std::string(ctx.store.engine()) + " store)");
  w.Key("url");
  write_str(w, ctx.request.base_url);
  w.EndObject();
  w.Key("fhirVersion");
  w.String("4.0.1");
  w.Key("format");
  w.StartArray();
  w.String("application/fhir+json");
  w.String("json");
  w.EndArray();
  w.Key("patchFormat");
  w.StartArray();
  for (std::string_view format : kPatchFormats) write_str(w, format);
  w.EndArray();
  w.Key("rest");
  w.StartArray();
  w.StartObject();
  w.Key("mode");
  w.String("server");
  if (ctx.security.smart) write_security(w, ctx.security);
  w.Key("resource");
  w.StartArray();
  for (std::string_view type : fhir::resource_types()) {
    write_resource(w, type, ctx.limits.max_conditional_deletes > 1);
  }
  w.EndArray();
  // Compartment search (GET [base]/Patient/1/Observation) over the official definitions.
  w.Key("compartment");
  w.StartArray();
  for (std::string_view name :
       {"device", "encounter", "patient", "practitioner", "relatedperson"}) {
    write_str(w, "http://hl7.org/fhir/CompartmentDefinition/" + std::string(name));
  }
  w.EndArray();
  w.Key("interaction");
  w.StartArray();
  for (std::string_view code : {"transaction", "batch", "history-system", "search-system"}) {
    w.StartObject();
    w.Key("code");
    write_str(w, code);
    w.EndObject();
  }
  w.EndArray();
  // search-system (GET [base]?...): the parameters every type has; with _type, those of the
  // types named.
  write_search_params(w, "Resource");
  write_operations(w);
  w.EndObject();
  w.EndArray();
  w.EndObject();

  return fhir_response(200, std::string(buffer.GetString(), buffer.GetSize()), ctx.format);
}

}  // namespace hearth::api
