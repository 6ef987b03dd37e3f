// Fixture bodies and variable evaluation.
#include "conformance/script_state.h"

#include "conformance/json_util.h"
#include "conformance/simple_xpath.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/xml/xml_reader.h"

namespace hearth::conformance {

std::string Fixture::resource_type() const {
  if (!resource || !resource->IsObject()) return {};
  return string_member(*resource, "resourceType");
}

Fixture fixture_from_body(std::string_view body, std::string_view content_type) {
  Fixture f;
  f.raw_body = std::string(body);
  std::size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return f;
  bool xml = content_type.find("xml") != std::string_view::npos ||
             (content_type.find("json") == std::string_view::npos && body[start] == '<');
  auto parsed = xml ? fhir::parse_xml_resource(body) : fhir::parse_json(body);
  if (parsed) {
    f.resource = std::make_shared<fhir::JsonDocument>(std::move(parsed).value());
  } else {
    f.body_error =
        std::string(xml ? "XML" : "JSON") + " body not parsed: " + parsed.status().message();
  }
  return f;
}

ScriptState::ScriptState(const fhir::JsonValue& script,
                         std::map<std::string, std::string> overrides)
    : script_(script), overrides_(std::move(overrides)) {}

Fixture* ScriptState::find(std::string_view id) {
  auto it = fixtures_.find(std::string(id));
  return it == fixtures_.end() ? nullptr : &it->second;
}

Result<std::string> ScriptState::variable(std::string_view name) {
  if (auto it = overrides_.find(std::string(name)); it != overrides_.end()) return it->second;
  const fhir::JsonValue* def = nullptr;
  for (const auto& v : array_member(script_, "variable")) {
    if (string_member(v, "name") == name) def = &v;
  }
  if (def == nullptr)
    return Status(Code::kNotFound, "unknown variable '" + std::string(name) + "'");
  std::string hint = string_member(*def, "hint");
  std::string fallback = string_member(*def, "defaultValue");
  bool has_default = def->HasMember("defaultValue");
  std::string source_id = string_member(*def, "sourceId");
  const Fixture* source = source_id.empty() ? last() : find(source_id);
  std::optional<std::string> value;
  std::string text = string_member(*def, "expression");
  if (text.empty() && def->HasMember("path")) {
    auto translated = xpath_to_fhirpath(string_member(*def, "path"));
    if (!translated) {
      return Status(Code::kNotImplemented,
                    "variable '" + std::string(name) + "': path '" + string_member(*def, "path") +
                        "' is outside the supported XPath subset; use expression");
    }
    text = *translated;
  }
  if (!text.empty()) {
    auto expr = fhir::fhirpath::compile(text);
    if (!expr) {
      return Status(Code::kInvalidArgument,
                    "variable '" + std::string(name) + "': " + expr.status().message());
    }
    if (source != nullptr && source->resource) {
      auto items = fhir::fhirpath::evaluate(*expr, *source->resource);
      if (!items) {
        return Status(Code::kInvalidArgument,
                      "variable '" + std::string(name) + "': " + items.status().message());
      }
      if (!items->empty()) value = item_text((*items)[0]);
    }
  } else if (def->HasMember("headerField")) {
    if (source != nullptr && source->is_exchange) {
      if (const std::string* h = find_header(source->headers, string_member(*def, "headerField"))) {
        value = *h;
      }
    }
  }
  if (value) return *value;
  if (has_default) return fallback;
  std::string why = "variable '" + std::string(name) + "' has no value";
  if (!source_id.empty() && source == nullptr) why += " (no fixture '" + source_id + "' yet)";
  if (!hint.empty())
    why += "; hint: " + hint + " (set it with --var " + std::string(name) + "=VALUE)";
  return Status(Code::kInvalidArgument, why);
}

Result<std::string> ScriptState::substitute(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = text.find("${", pos);
    if (open == std::string_view::npos) break;
    std::size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    auto value = variable(text.substr(open + 2, close - open - 2));
    if (!value) return value.status();
    out += *value;
    pos = close + 1;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace hearth::conformance
