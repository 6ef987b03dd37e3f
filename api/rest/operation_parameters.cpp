// Reading operation inputs from a query string or a Parameters body, and writing a Parameters
// answer; see operation_parameters.h.
#include "api/rest/operation_parameters.h"

#include "fhir/json.h"

namespace hearth::api {
namespace {

Status too_many() {
  return Status(Code::kInvalidArgument, "at most " + std::to_string(kMaxOperationParams) +
                                            " parameters per operation request");
}

// The text of a primitive JSON value, or false for an object, array or null.
bool primitive_text(const fhir::JsonValue& v, std::string& out) {
  if (fhir::is_json_string(v)) {
    out = std::string(fhir::json_string(v));
    return true;
  }
  if (v.IsBool()) {
    out = v.GetBool() ? "true" : "false";
    return true;
  }
  return false;
}

Status add_checked(OperationParams& params, std::string name, std::string value) {
  if (value.size() > kMaxOperationValue) {
    return Status(Code::kInvalidArgument, "the value of parameter '" + name + "' is longer than " +
                                              std::to_string(kMaxOperationValue) + " bytes");
  }
  if (params.all().size() >= kMaxOperationParams) return too_many();
  params.add(std::move(name), std::move(value));
  return Status::ok();
}

Status read_body(const std::string& body, OperationParams& params) {
  HEARTH_ASSIGN_OR_RETURN(fhir::JsonDocument doc, fhir::parse_json(body));
  auto type = doc.IsObject() ? doc.FindMember("resourceType") : doc.MemberEnd();
  if (type == doc.MemberEnd() || !fhir::is_json_string(type->value) ||
      fhir::json_string(type->value) != "Parameters") {
    return Status(Code::kInvalidArgument, "the body must be a Parameters resource");
  }
  auto list = doc.FindMember("parameter");
  if (list == doc.MemberEnd()) return Status::ok();
  if (!list->value.IsArray()) {
    return Status(Code::kInvalidArgument, "Parameters.parameter must be an array",
                  "Parameters.parameter");
  }
  for (const fhir::JsonValue& p : list->value.GetArray()) {
    if (!p.IsObject() || !p.HasMember("name") || !fhir::is_json_string(p["name"])) continue;
    std::string name(fhir::json_string(p["name"]));
    for (const auto& m : p.GetObject()) {
      std::string_view key(m.name.GetString(), m.name.GetStringLength());
      if (!key.starts_with("value")) continue;
      std::string text;
      if (primitive_text(m.value, text)) {
        HEARTH_RETURN_IF_ERROR(add_checked(params, name, std::move(text)));
      } else if (key == "valueCoding" && m.value.IsObject()) {
        for (const char* part : {"system", "code", "display"}) {
          auto it = m.value.FindMember(part);
          if (it != m.value.MemberEnd() && primitive_text(it->value, text)) {
            HEARTH_RETURN_IF_ERROR(add_checked(params, name + "." + part, std::move(text)));
          }
        }
      }
    }
  }
  return Status::ok();
}

}  // namespace

const std::string* OperationParams::get(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return &value;
  }
  return nullptr;
}

void OperationParams::add(std::string name, std::string value) {
  values_.emplace_back(std::move(name), std::move(value));
}

Result<OperationParams> read_operation_params(const InteractionContext& ctx) {
  OperationParams params;
  for (const auto& [name, value] : ctx.request.query) {
    if (name == "_format" || name == "_pretty") continue;
    HEARTH_RETURN_IF_ERROR(add_checked(params, name, value));
  }
  if (ctx.request.method == "POST") HEARTH_RETURN_IF_ERROR(read_body(ctx.request.body, params));
  return params;
}

ParametersWriter::ParametersWriter() : w_(buffer_) {
  w_.StartObject();
  w_.Key("resourceType");
  w_.String("Parameters");
  w_.Key("parameter");
  w_.StartArray();
}

void ParametersWriter::value(std::string_view name, const char* key, std::string_view value) {
  w_.StartObject();
  w_.Key("name");
  write_str(w_, name);
  w_.Key(key);
  write_str(w_, value);
  w_.EndObject();
}

void ParametersWriter::add_string(std::string_view name, std::string_view v) {
  value(name, "valueString", v);
}

void ParametersWriter::add_code(std::string_view name, std::string_view v) {
  value(name, "valueCode", v);
}

void ParametersWriter::add_uri(std::string_view name, std::string_view v) {
  value(name, "valueUri", v);
}

void ParametersWriter::add_bool(std::string_view name, bool v) {
  w_.StartObject();
  w_.Key("name");
  write_str(w_, name);
  w_.Key("valueBoolean");
  w_.Bool(v);
  w_.EndObject();
}

void ParametersWriter::add_coding(std::string_view name, std::string_view system,
                                  std::string_view code, std::string_view display) {
  w_.StartObject();
  w_.Key("name");
  write_str(w_, name);
  w_.Key("valueCoding");
  w_.StartObject();
  w_.Key("system");
  write_str(w_, system);
  w_.Key("code");
  write_str(w_, code);
  if (!display.empty()) {
    w_.Key("display");
    write_str(w_, display);
  }
  w_.EndObject();
  w_.EndObject();
}

void ParametersWriter::begin_part(std::string_view name) {
  w_.StartObject();
  w_.Key("name");
  write_str(w_, name);
  w_.Key("part");
  w_.StartArray();
}

void ParametersWriter::end_part() {
  w_.EndArray();
  w_.EndObject();
}

Response ParametersWriter::finish(ResponseFormat format) {
  w_.EndArray();
  w_.EndObject();
  return fhir_response(200, std::string(buffer_.GetString(), buffer_.GetSize()), format);
}

}  // namespace hearth::api
