// TestScript JSON readers.
#include "conformance/json_util.h"

#include <algorithm>

#include "core/utf8.h"
#include "fhir/fhirpath/fhirpath.h"

namespace hearth::conformance {
namespace {

const fhir::JsonValue* member(const fhir::JsonValue& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(rapidjson::StringRef(name.data(), name.size()));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

const fhir::JsonValue& empty_array() {
  static const fhir::JsonValue kEmpty(rapidjson::kArrayType);
  return kEmpty;
}

}  // namespace

std::string string_member(const fhir::JsonValue& object, std::string_view name) {
  const fhir::JsonValue* v = member(object, name);
  if (v == nullptr) return {};
  if (fhir::is_json_string(*v)) return std::string(fhir::json_string(*v));
  if (fhir::is_json_number(*v)) return std::string(fhir::json_number_text(*v));
  if (v->IsBool()) return v->GetBool() ? "true" : "false";
  return {};
}

bool bool_member(const fhir::JsonValue& object, std::string_view name) {
  const fhir::JsonValue* v = member(object, name);
  return v != nullptr && v->IsBool() && v->GetBool();
}

const fhir::JsonValue* object_member(const fhir::JsonValue& object, std::string_view name) {
  const fhir::JsonValue* v = member(object, name);
  return v != nullptr && v->IsObject() ? v : nullptr;
}

std::vector<const fhir::JsonValue*> object_array(const fhir::JsonValue& object,
                                                 std::string_view name) {
  std::vector<const fhir::JsonValue*> out;
  for (const auto& v : array_member(object, name)) {
    if (v.IsObject()) out.push_back(&v);
  }
  return out;
}

const fhir::JsonValue::ConstArray array_member(const fhir::JsonValue& object,
                                               std::string_view name) {
  const fhir::JsonValue* v = member(object, name);
  return v != nullptr && v->IsArray() ? v->GetArray() : empty_array().GetArray();
}

std::vector<std::string> unknown_members(const fhir::JsonValue& object,
                                         const std::vector<std::string_view>& known) {
  std::vector<std::string> out;
  if (!object.IsObject()) return out;
  for (const auto& m : object.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (!name.empty() && name[0] == '_') name.remove_prefix(1);
    if (std::find(known.begin(), known.end(), name) == known.end()) out.emplace_back(name);
  }
  return out;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    // NUL too: FHIR strings may not hold U+0000.
    std::size_t n = text[i] == '\0' ? 0 : utf8_sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string item_text(const fhir::fhirpath::Item& item) {
  if (auto s = fhir::fhirpath::to_string(item)) return *s;
  if (item.is_node() && item.json != nullptr) return fhir::write_json(*item.json);
  return {};
}

}  // namespace hearth::conformance
