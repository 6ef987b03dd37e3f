// Building element JSON from Parameters parts, guided by the model tables.
#include "fhir/patch/patch_value.h"

namespace hearth::fhir::patch {
namespace {

std::string_view key_of(const JsonValue& name) {
  return std::string_view(name.GetString(), name.GetStringLength());
}

// A value[x] member name ("valueDate") or its `_` half ("_valueDate").
bool is_value_key(std::string_view key) {
  return key.size() > 5 && key.starts_with("value");
}

// The context where the children of element `index` of `owner` are defined.
ElementContext context_of(const TypeDef& owner, std::uint32_t index) {
  const ElementDef& e = owner.elements[index];
  if (e.is_backbone() || !e.content_reference.empty()) {
    return ElementContext{&owner, resolve_content_reference(owner, index)};
  }
  if (e.types.size() == 1 && e.types[0].type_index >= 0) {
    const TypeDef& t = all_types()[static_cast<std::size_t>(e.types[0].type_index)];
    return ElementContext{&t, 0};
  }
  return ElementContext{};
}

Result<PartValue> parts_value(const JsonValue& parts, const ElementContext& context,
                              NodeBudget& budget, JsonAllocator& allocator) {
  PartValue out;
  out.element.value.SetObject();
  JsonValue& object = out.element.value;
  for (const JsonValue& part : parts.GetArray()) {
    if (!part.IsObject()) return Status(Code::kInvalidArgument, "a nested part is not an object");
    auto name_it = part.FindMember("name");
    if (name_it == part.MemberEnd() || !is_json_string(name_it->value)) {
      return Status(Code::kInvalidArgument, "a nested part has no name");
    }
    std::string_view name = json_string(name_it->value);
    HEARTH_ASSIGN_OR_RETURN(ChildElement child, find_child_element(context, name));
    HEARTH_ASSIGN_OR_RETURN(PartValue value, part_value(part, child.context, budget, allocator));
    HEARTH_ASSIGN_OR_RETURN(std::string key, child_json_key(child, name, value.type_suffix));
    std::size_t count = element_count(object, key);
    if (count > 0 && !child.repeating) {
      return Status(Code::kUnprocessable,
                    "element '" + key + "' is given twice but does not repeat");
    }
    if (child.repeating) {
      insert_element(object, key, count, value.element, allocator);
    } else {
      put_element(ElementSlot{&object, key, std::nullopt}, value.element, allocator);
    }
  }
  return out;
}

}  // namespace

Result<ChildElement> find_child_element(const ElementContext& context, std::string_view name) {
  ChildElement child;
  if (context.owner == nullptr) return child;
  const TypeDef& owner = *context.owner;
  for (std::uint32_t c : children(owner, resolve_content_reference(owner, context.element))) {
    const ElementDef& e = owner.elements[c];
    std::string_view ename = e.name;
    if (e.is_choice()) ename.remove_suffix(3);
    if (ename != name) continue;
    child.def = &e;
    child.context = context_of(owner, c);
    child.repeating = e.is_repeating();
    child.choice = e.is_choice();
    return child;
  }
  std::string where(owner.name);
  std::string_view path = owner.elements[context.element].path;
  if (!path.empty()) where += "." + std::string(path);
  return Status(Code::kUnprocessable, where + " has no element '" + std::string(name) + "'");
}

Result<std::string> child_json_key(const ChildElement& child, std::string_view name,
                                   std::string_view type_suffix) {
  if (!child.choice) return std::string(name);
  if (type_suffix.empty()) {
    return Status(Code::kUnprocessable, "choice element '" + std::string(name) +
                                            "[x]' needs a typed value (value[x]), not parts");
  }
  return std::string(name) + std::string(type_suffix);
}

Result<PartValue> part_value(const JsonValue& part, const ElementContext& context,
                             NodeBudget& budget, JsonAllocator& allocator) {
  const JsonValue* value = nullptr;
  const JsonValue* ext = nullptr;
  std::string suffix;
  int kinds = 0;
  for (const auto& m : part.GetObject()) {
    std::string_view key = key_of(m.name);
    if (is_value_key(key)) {
      value = &m.value;
      suffix = key.substr(5);
      ++kinds;
    } else if (key.starts_with('_') && is_value_key(key.substr(1))) {
      ext = &m.value;
      if (value == nullptr) suffix = key.substr(6);
    } else if (key == "resource" || key == "part") {
      ++kinds;
    }
  }
  if (value == nullptr && ext != nullptr) ++kinds;  // an extension-only primitive
  if (kinds != 1) {
    return Status(Code::kInvalidArgument,
                  kinds == 0 ? "the value part has no value[x], resource or part"
                             : "the value part has more than one of value[x], resource, part");
  }
  auto resource = part.FindMember("resource");
  auto parts = part.FindMember("part");
  if (parts != part.MemberEnd()) {
    if (!parts->value.IsArray()) return Status(Code::kInvalidArgument, "'part' is not an array");
    return parts_value(parts->value, context, budget, allocator);
  }
  PartValue out;
  if (resource != part.MemberEnd()) {
    HEARTH_RETURN_IF_ERROR(budget.spend(resource->value));
    out.element.value.CopyFrom(resource->value, allocator);
    return out;
  }
  out.type_suffix = std::move(suffix);
  if (value != nullptr) {
    HEARTH_RETURN_IF_ERROR(budget.spend(*value));
    out.element.value.CopyFrom(*value, allocator);
  }
  if (ext != nullptr) {
    HEARTH_RETURN_IF_ERROR(budget.spend(*ext));
    out.element.ext.CopyFrom(*ext, allocator);
  }
  return out;
}

}  // namespace hearth::fhir::patch
