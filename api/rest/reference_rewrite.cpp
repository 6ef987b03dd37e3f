// Walking a resource for its references and narrative links.
#include "api/rest/reference_rewrite.h"

#include "fhir/model.h"

namespace hearth::api {
namespace {

bool is_key(const fhir::JsonValue& name, std::string_view key) {
  return std::string_view(name.GetString(), name.GetStringLength()) == key;
}

// The narrative: every href="..." / src="..." (either quote) whose value is in `map`.
std::size_t rewrite_div(fhir::JsonValue& div, fhir::JsonAllocator& allocator,
                        const ReferenceMap& map) {
  std::string_view text(div.GetString(), div.GetStringLength());
  std::string out;
  std::size_t replaced = 0, copied = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t attr_end = std::string_view::npos;
    for (std::string_view attr : {"href=", "src="}) {
      std::size_t at = text.find(attr, pos);
      if (at != std::string_view::npos) {
        const std::size_t after = at + attr.size();
        if (attr_end == std::string_view::npos || after < attr_end) attr_end = after;
      }
    }
    if (attr_end == std::string_view::npos || attr_end >= text.size()) break;
    const char quote = text[attr_end];
    pos = attr_end + 1;
    if (quote != '"' && quote != '\'') continue;
    const std::size_t close = text.find(quote, pos);
    if (close == std::string_view::npos) break;
    auto hit = map.find(std::string(text.substr(pos, close - pos)));
    if (hit != map.end()) {
      out.append(text.substr(copied, pos - copied)).append(hit->second);
      copied = close;
      ++replaced;
    }
    pos = close + 1;
  }
  if (replaced > 0) {
    out.append(text.substr(copied));
    div = fhir::make_json_string(out, allocator);
  }
  return replaced;
}

// Calls `visit` with the value of every member named "reference" holding a string; `Value` is
// fhir::JsonValue, const or not.
template <typename Value, typename Visit>
void visit_references(Value& value, const Visit& visit) {
  if (value.IsArray()) {
    for (auto& item : value.GetArray()) visit_references(item, visit);
    return;
  }
  if (!value.IsObject()) return;
  for (auto& member : value.GetObject()) {
    if (fhir::is_json_string(member.value) && is_key(member.name, "reference")) {
      visit(member.value);
    } else if (member.value.IsObject() || member.value.IsArray()) {
      visit_references(member.value, visit);
    }
  }
}

}  // namespace

void for_each_reference(const fhir::JsonValue& resource,
                        const std::function<void(std::string_view)>& visit) {
  visit_references(resource, [&](const fhir::JsonValue& v) { visit(fhir::json_string(v)); });
}

void for_each_reference_value(fhir::JsonValue& resource,
                              const std::function<void(fhir::JsonValue&)>& visit) {
  visit_references(resource, visit);
}

std::size_t rewrite_references(fhir::JsonValue& value, fhir::JsonAllocator& allocator,
                               const ReferenceMap& map) {
  std::size_t replaced = 0;
  if (value.IsArray()) {
    for (auto& item : value.GetArray()) replaced += rewrite_references(item, allocator, map);
    return replaced;
  }
  if (!value.IsObject()) return 0;
  for (auto& member : value.GetObject()) {
    if (fhir::is_json_string(member.value)) {
      if (is_key(member.name, "reference")) {
        auto hit = map.find(std::string(fhir::json_string(member.value)));
        if (hit != map.end()) {
          member.value = fhir::make_json_string(hit->second, allocator);
          ++replaced;
        }
      } else if (is_key(member.name, "div")) {
        replaced += rewrite_div(member.value, allocator, map);
      }
    } else if (member.value.IsObject() || member.value.IsArray()) {
      replaced += rewrite_references(member.value, allocator, map);
    }
  }
  return replaced;
}

bool is_placeholder(std::string_view reference) {
  return reference.starts_with("urn:uuid:") || reference.starts_with("urn:oid:");
}

bool split_conditional_reference(std::string_view reference, std::string_view& type,
                                 std::string_view& criteria) {
  const std::size_t q = reference.find('?');
  if (q == std::string_view::npos || q == 0) return false;
  if (!fhir::is_resource_type(reference.substr(0, q))) return false;
  type = reference.substr(0, q);
  criteria = reference.substr(q + 1);
  return true;
}

}  // namespace hearth::api
