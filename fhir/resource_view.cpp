// Summary and _elements views: a walk of the resource's JSON beside its generated definition.
#include "fhir/resource_view.h"

#include <algorithm>

#include "fhir/json.h"
#include "fhir/model.h"

namespace hearth::fhir {
namespace {

constexpr std::string_view kSubsettedSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
constexpr std::string_view kSubsettedCode = "SUBSETTED";

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

// The element's name as a query names it: "value[x]" -> "value".
std::string_view plain_name(std::string_view name) {
  if (name.ends_with("[x]")) name.remove_suffix(3);
  return name;
}

bool is_top_level_element(const TypeDef& type, std::string_view name) {
  for (std::uint32_t child : children(type, 0)) {
    if (plain_name(type.elements[child].name) == name) return true;
  }
  return false;
}

bool named(const ResourceView& view, const ElementDef& element) {
  const std::string_view name = plain_name(element.name);
  return std::find(view.elements.begin(), view.elements.end(), name) != view.elements.end();
}

// Whether a top-level element stays (every view), or for kTrue an element at any level.
bool keeps(const ResourceView& view, const ElementDef& element, bool top) {
  const bool mandatory = element.min > 0;
  if (!view.elements.empty()) {
    return mandatory || element.name == "id" || element.name == "meta" || named(view, element);
  }
  switch (view.summary) {
    case SummaryMode::kTrue: return mandatory || (element.flags & kElementSummary) != 0;
    case SummaryMode::kText:
      return !top || mandatory || element.name == "id" || element.name == "meta" ||
             element.name == "text";
    case SummaryMode::kData: return !top || element.name != "text";
    case SummaryMode::kFalse: return true;
  }
  return true;
}

// Removes what `view` drops from `object`, an instance of element `parent` of `type`; for
// kTrue, backbone elements are cut down the same way, level after level.
void cut(const TypeDef& type, std::uint32_t parent, JsonValue& object, const ResourceView& view,
         bool top) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd();) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    if (top && name == "resourceType") {
      ++it;
      continue;
    }
    if (name.starts_with('_')) name.remove_prefix(1);
    const ChildMatch match = find_child(type, parent, name);
    if (!match.found() ||
        !keeps(view, type.elements[static_cast<std::uint32_t>(match.index)], top)) {
      it = object.EraseMember(it);
      continue;
    }
    const auto index = static_cast<std::uint32_t>(match.index);
    if (view.summary == SummaryMode::kTrue && view.elements.empty() &&
        type.elements[index].is_backbone()) {
      const std::uint32_t inner = resolve_content_reference(type, index);
      auto cut_item = [&](JsonValue& item) {
        if (item.IsObject()) cut(type, inner, item, view, false);
      };
      if (it->value.IsArray()) {
        for (JsonValue& item : it->value.GetArray()) cut_item(item);
      } else {
        cut_item(it->value);
      }
    }
    ++it;
  }
}

void tag_subsetted(JsonDocument& doc) {
  JsonAllocator& a = doc.GetAllocator();
  if (!doc.HasMember("meta") || !doc["meta"].IsObject()) {
    doc.RemoveMember("meta");
    doc.AddMember("meta", JsonValue(rapidjson::kObjectType), a);
  }
  JsonValue& meta = doc["meta"];
  if (!meta.HasMember("tag") || !meta["tag"].IsArray()) {
    meta.RemoveMember("tag");
    meta.AddMember("tag", JsonValue(rapidjson::kArrayType), a);
  }
  JsonValue& tags = meta["tag"];
  for (const JsonValue& tag : tags.GetArray()) {
    if (tag.IsObject() && tag.HasMember("system") && tag.HasMember("code") &&
        is_json_string(tag["system"]) && is_json_string(tag["code"]) &&
        json_string(tag["system"]) == kSubsettedSystem &&
        json_string(tag["code"]) == kSubsettedCode) {
      return;
    }
  }
  JsonValue coding(rapidjson::kObjectType);
  coding.AddMember("system", make_json_string(kSubsettedSystem, a), a);
  coding.AddMember("code", make_json_string(kSubsettedCode, a), a);
  coding.AddMember("display", make_json_string("Resource encoded in summary mode", a), a);
  tags.PushBack(coding, a);
}

}  // namespace

Result<SummaryMode> parse_summary_mode(std::string_view value) {
  if (value == "true") return SummaryMode::kTrue;
  if (value == "text") return SummaryMode::kText;
  if (value == "data") return SummaryMode::kData;
  if (value == "false") return SummaryMode::kFalse;
  return invalid("invalid _summary '" + std::string(value) +
                 "': expected true, text, data, false (or count, on a search)");
}

Result<std::vector<std::string>> parse_elements(std::string_view value,
                                                std::span<const std::string> types,
                                                std::size_t max_names) {
  std::vector<std::string> names;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view name = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    if (name.empty()) continue;
    if (names.size() == max_names) {
      return invalid("too many _elements names: at most " + std::to_string(max_names) +
                     " (--search-max-values)");
    }
    if (name.size() > kMaxElementName) {
      return invalid("_elements name '" + std::string(name.substr(0, kMaxElementName)) +
                     "...' is longer than " + std::to_string(kMaxElementName) + " characters");
    }
    bool known = false;
    if (types.empty()) {
      for (std::string_view type : resource_types()) {
        known = known || is_top_level_element(*find_type(type), name);
      }
    } else {
      for (const std::string& type : types) {
        const TypeDef* def = find_type(type);
        known = known || (def != nullptr && is_top_level_element(*def, name));
      }
    }
    if (!known) {
      std::string list;
      for (const std::string& type : types) list += (list.empty() ? "" : ", ") + type;
      return invalid("_elements: '" + std::string(name) + "' is not an element of " +
                     (list.empty() ? std::string("any resource type") : list));
    }
    names.emplace_back(name);
  }
  return names;
}

Result<std::string> apply_view(std::string_view resource_json, const ResourceView& view) {
  if (view.full()) return std::string(resource_json);
  Result<JsonDocument> doc = parse_json(resource_json);
  if (!doc.is_ok()) return Status(Code::kInternal, "stored resource does not parse");
  const JsonValue* type_name =
      doc->IsObject() && doc->HasMember("resourceType") ? &(*doc)["resourceType"] : nullptr;
  const TypeDef* type = type_name != nullptr && is_json_string(*type_name)
                            ? find_type(json_string(*type_name))
                            : nullptr;
  if (type == nullptr || type->kind != TypeKind::kResource) {
    return Status(Code::kInternal, "stored resource has no known resourceType");
  }
  cut(*type, 0, *doc, view, true);
  tag_subsetted(*doc);
  return write_json(*doc);
}

}  // namespace hearth::fhir
