// ValueSet/$validate-code (https://hl7.org/fhir/R4/valueset-operation-validate-code.html) over
// the value sets Hearth holds built in: those of the base definitions' required bindings,
// expanded at build time (fhir/value_set.h). `url` and `code` (and `system`) come from the query
// string (GET) or a Parameters body (POST); the answer is a Parameters with `result` and
// `message`. Nothing is read from the store.
#include <string>

#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "fhir/json.h"
#include "fhir/value_set.h"

namespace hearth::api {
namespace {

struct CodeQuery {
  std::string url, system, code;
};

// url, system and code of a Parameters body (value[x] of any string-like type).
Result<CodeQuery> from_parameters(const std::string& body) {
  HEARTH_ASSIGN_OR_RETURN(fhir::JsonDocument doc, fhir::parse_json(body));
  CodeQuery q;
  auto params = doc.IsObject() ? doc.FindMember("parameter") : doc.MemberEnd();
  if (!doc.IsObject() || params == doc.MemberEnd() || !params->value.IsArray()) {
    return Status(Code::kInvalidArgument, "the body must be a Parameters with url and code");
  }
  for (const fhir::JsonValue& p : params->value.GetArray()) {
    if (!p.IsObject() || !p.HasMember("name") || !fhir::is_json_string(p["name"])) continue;
    std::string_view name = fhir::json_string(p["name"]);
    std::string* target = name == "url"      ? &q.url
                          : name == "code"   ? &q.code
                          : name == "system" ? &q.system
                                             : nullptr;
    if (target == nullptr) continue;
    for (const auto& m : p.GetObject()) {
      std::string_view key(m.name.GetString(), m.name.GetStringLength());
      if (key.starts_with("value") && fhir::is_json_string(m.value)) {
        *target = std::string(fhir::json_string(m.value));
      }
    }
  }
  return q;
}

}  // namespace

Result<Response> validate_code_operation(const InteractionContext& ctx) {
  CodeQuery q;
  if (ctx.request.method == "POST") {
    HEARTH_ASSIGN_OR_RETURN(q, from_parameters(ctx.request.body));
  } else {
    for (auto [name, field] :
         {std::pair{"url", &q.url}, std::pair{"code", &q.code}, std::pair{"system", &q.system}}) {
      if (const std::string* v = ctx.request.param(name)) *field = *v;
    }
  }
  if (q.url.empty() || q.code.empty()) {
    return Status(Code::kInvalidArgument, "$validate-code needs url and code");
  }
  const fhir::ValueSetDef* vs = fhir::find_value_set(q.url);
  if (vs == nullptr) {
    return Status(Code::kNotFound,
                  "the value set is not built in (only those of the R4 required bindings are)",
                  "url");
  }
  fhir::Membership m = fhir::check_code(*vs, q.system, q.code);
  // Only text from the tables is echoed: the client's may not be valid UTF-8.
  std::string url(vs->url);
  std::string message = m == fhir::Membership::kMember      ? "the code is in " + url
                        : m == fhir::Membership::kNotMember ? "the code is not in " + url
                                                            : "the code is of a code system "
                                                              "Hearth cannot expand, in " +
                                                                  url;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("resourceType");
  w.String("Parameters");
  w.Key("parameter");
  w.StartArray();
  w.StartObject();
  w.Key("name");
  w.String("result");
  w.Key("valueBoolean");
  w.Bool(m == fhir::Membership::kMember);
  w.EndObject();
  w.StartObject();
  w.Key("name");
  w.String("message");
  w.Key("valueString");
  write_str(w, message);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return fhir_response(200, std::string(buffer.GetString(), buffer.GetSize()), ctx.format);
}

}  // namespace hearth::api
