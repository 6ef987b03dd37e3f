// Navigation and typing of document nodes from the generated model tables; see types.h.
#include "fhir/fhirpath/types.h"

#include <array>
#include <charconv>
#include <string>

#include "fhir/primitive.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

constexpr std::array<std::string_view, 8> kSystemNames = {
    "Boolean", "Integer", "Decimal", "String", "Date", "DateTime", "Time", "Quantity"};

const TypeDef* type_of(const TypeRef& ref) {
  if (ref.type_index < 0) return nullptr;
  return &all_types()[static_cast<std::size_t>(ref.type_index)];
}

// The object holding an item's child properties: a primitive keeps id/extension in `_name`.
const JsonValue* child_object(const Item& item) {
  const JsonValue* obj = item.json;
  if (item.type != nullptr && item.type->kind == TypeKind::kPrimitive) obj = item.json_ext;
  return obj != nullptr && obj->IsObject() ? obj : nullptr;
}

// One child item for JSON value `v` (maybe null) and its `_` sibling `x` (maybe null), both held
// by object `parent`, of element `index` of `owner`, typed `ref` (nullptr for a contentReference
// element).
void add_child(const JsonValue* v, const JsonValue* x, const JsonValue& parent,
               const TypeDef& owner, std::uint32_t index, const TypeRef* ref, std::string_view name,
               Collection& out) {
  if (v != nullptr && v->IsNull()) v = nullptr;
  if (x != nullptr && !x->IsObject()) x = nullptr;
  if (v == nullptr && x == nullptr) return;
  const ElementDef& e = owner.elements[index];
  Item item;
  item.name = name;
  item.parent = &parent;
  if (e.is_backbone() || !e.content_reference.empty()) {
    std::uint32_t target = resolve_content_reference(owner, index);
    const ElementDef& te = owner.elements[target];
    item.type = te.types.empty() ? find_type("BackboneElement") : type_of(te.types[0]);
    item.owner = &owner;
    item.element = target;
    item.json = v;
    out.push_back(std::move(item));
    return;
  }
  const TypeDef* t = ref != nullptr ? type_of(*ref) : nullptr;
  if (t != nullptr && t->kind == TypeKind::kResource && v != nullptr) {
    Item r = resource_item(*v);
    r.name = name;
    r.parent = &parent;
    out.push_back(std::move(r));
    return;
  }
  item.type = t;
  item.owner = t;
  item.element = 0;
  item.json = v;
  item.json_ext = x;
  out.push_back(std::move(item));
}

const JsonValue* member(const JsonValue& obj, std::string_view key) {
  auto it = obj.FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// Adds the values of members `v` (the property) and `x` (its `_` sibling) of `obj`; either may
// be nullptr. Item names point at the document's keys, never into the expression.
void add_members(const JsonValue::Member* v, const JsonValue::Member* x, const JsonValue& obj,
                 const TypeDef& owner, std::uint32_t index, const TypeRef* ref, Collection& out) {
  if (v == nullptr && x == nullptr) return;
  const JsonValue* vv = v != nullptr ? &v->value : nullptr;
  const JsonValue* xv = x != nullptr ? &x->value : nullptr;
  std::string_view name;
  if (v != nullptr) name = std::string_view(v->name.GetString(), v->name.GetStringLength());
  if ((vv != nullptr && vv->IsArray()) || (vv == nullptr && xv->IsArray())) {
    rapidjson::SizeType n = vv != nullptr ? vv->Size() : xv->Size();
    for (rapidjson::SizeType i = 0; i < n; ++i) {
      const JsonValue* vi = vv != nullptr ? &(*vv)[i] : nullptr;
      const JsonValue* xi = xv != nullptr && xv->IsArray() && i < xv->Size() ? &(*xv)[i] : nullptr;
      add_child(vi, xi, obj, owner, index, ref, name, out);
    }
    return;
  }
  add_child(vv, xv, obj, owner, index, ref, name, out);
}

std::string_view key_of(const JsonValue::Member& m) {
  return {m.name.GetString(), m.name.GetStringLength()};
}

// Adds the values of JSON property `prop` (and `_prop`) of `obj`, found in one pass over its
// members (RapidJSON's FindMember is a linear scan too; this avoids two of them and a string).
void add_property(const JsonValue& obj, std::string_view prop, const TypeDef& owner,
                  std::uint32_t index, const TypeRef* ref, Collection& out) {
  const JsonValue::Member* v = nullptr;
  const JsonValue::Member* x = nullptr;
  for (const JsonValue::Member& m : obj.GetObject()) {
    std::string_view key = key_of(m);
    if (v == nullptr && key == prop) {
      v = &m;
    } else if (x == nullptr && key.size() == prop.size() + 1 && key[0] == '_' &&
               key.substr(1) == prop) {
      x = &m;
    }
  }
  add_members(v, x, obj, owner, index, ref, out);
}

// Adds the values of choice element `index` (JSON names `prefix` + a type, and their `_`
// siblings), in the order of the element's types. One pass over `obj` finds the candidates; a
// choice like Extension.value[x] has 50 types, so looking each name up would cost 100 scans.
void add_choice(const JsonValue& obj, std::string_view prefix, const TypeDef& owner,
                std::uint32_t index, Collection& out) {
  std::array<const JsonValue::Member*, 8> found{};
  std::size_t n = 0;
  bool overflow = false;
  for (const JsonValue::Member& m : obj.GetObject()) {
    std::string_view key = key_of(m);
    if (!key.empty() && key[0] == '_') key.remove_prefix(1);
    if (key.size() <= prefix.size() || !key.starts_with(prefix)) continue;
    if (n == found.size()) {
      overflow = true;
      break;
    }
    found[n++] = &m;
  }
  if (overflow) {  // more look-alike keys than a valid resource has: one lookup per type
    for (const TypeRef& ref : owner.elements[index].types) {
      std::string name(prefix);
      name += ref.code;
      name[prefix.size()] = static_cast<char>(std::toupper(name[prefix.size()]));
      add_property(obj, name, owner, index, &ref, out);
    }
    return;
  }
  if (n == 0) return;
  for (const TypeRef& ref : owner.elements[index].types) {
    const JsonValue::Member* v = nullptr;
    const JsonValue::Member* x = nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      std::string_view key = key_of(*found[i]);
      const bool ext = key[0] == '_';
      if (ext) key.remove_prefix(1);
      if (!is_capitalised(key.substr(prefix.size()), ref.code)) continue;
      if (ext && x == nullptr) x = found[i];
      if (!ext && v == nullptr) v = found[i];
    }
    add_members(v, x, obj, owner, index, &ref, out);
  }
}

void add_untyped(const JsonValue* v, const JsonValue& parent, std::string_view name,
                 Collection& out) {
  if (v == nullptr || v->IsNull()) return;
  if (v->IsArray()) {
    for (const JsonValue& e : v->GetArray()) add_untyped(&e, parent, name, out);
    return;
  }
  if (v->IsObject()) {
    Item r = resource_item(*v);
    r.name = name;
    r.parent = &parent;
    out.push_back(std::move(r));
    return;
  }
  Item item;
  item.json = v;
  item.name = name;
  item.parent = &parent;
  out.push_back(std::move(item));
}

}  // namespace

Item resource_item(const JsonValue& resource) {
  Item item;
  item.json = &resource;
  if (resource.IsObject()) {
    const JsonValue* rt = member(resource, "resourceType");
    if (rt != nullptr && is_json_string(*rt)) {
      const TypeDef* t = find_type(json_string(*rt));
      if (t != nullptr && t->kind == TypeKind::kResource) {
        item.type = t;
        item.owner = t;
      }
    }
  }
  return item;
}

Navigation navigate(const Item& item, std::string_view name, Collection& out) {
  if (!item.is_node()) return Navigation::kOk;
  if (item.json == nullptr && item.name == kTypeInfoName) {
    Item s;
    s.kind = ItemKind::kString;
    if (name == "namespace") s.text = item.text;
    if (name == "name") s.text = item.unit;
    if (name == "namespace" || name == "name") out.push_back(std::move(s));
    return Navigation::kOk;
  }
  if (item.type == nullptr) {
    if (item.json != nullptr && item.json->IsObject()) {
      auto it = item.json->FindMember(rapidjson::StringRef(name.data(), name.size()));
      if (it != item.json->MemberEnd()) {
        // The name is taken from the document so items never point into the expression.
        add_untyped(&it->value, *item.json,
                    std::string_view(it->name.GetString(), it->name.GetStringLength()), out);
      }
    }
    return Navigation::kOk;
  }
  const TypeDef& owner = *item.owner;
  const std::int32_t c = find_named_child(owner, item.element, name);
  if (c >= 0) {
    navigate_child(item, static_cast<std::uint32_t>(c), out);
    return Navigation::kOk;
  }
  std::uint32_t parent = resolve_content_reference(owner, item.element);
  for (std::uint32_t i : children(owner, parent)) {
    const ElementDef& e = owner.elements[i];
    if (!e.is_choice()) continue;
    std::string_view prefix = e.name.substr(0, e.name.size() - 3);
    if (name.size() > prefix.size() && name.starts_with(prefix)) return Navigation::kChoiceName;
  }
  return Navigation::kUnknown;
}

std::int32_t find_named_child(const TypeDef& owner, std::uint32_t element, std::string_view name) {
  std::uint32_t parent = resolve_content_reference(owner, element);
  for (std::uint32_t c : children(owner, parent)) {
    const ElementDef& e = owner.elements[c];
    std::string_view ename = e.name;
    if (e.is_choice()) ename.remove_suffix(3);
    if (ename == name) return static_cast<std::int32_t>(c);
  }
  return -1;
}

void navigate_child(const Item& item, std::uint32_t child, Collection& out) {
  const JsonValue* obj = child_object(item);
  if (obj == nullptr) return;
  const TypeDef& owner = *item.owner;
  const ElementDef& e = owner.elements[child];
  if (e.is_choice()) {
    add_choice(*obj, e.name.substr(0, e.name.size() - 3), owner, child, out);
  } else {
    add_property(*obj, e.name, owner, child, e.types.empty() ? nullptr : &e.types[0], out);
  }
}

bool type_has_element(std::string_view type_name, std::string_view name) {
  const TypeDef* t = find_type(type_name);
  if (t == nullptr || t->kind == TypeKind::kPrimitive) return true;
  for (std::uint32_t c : children(*t, 0)) {
    std::string_view ename = t->elements[c].name;
    if (t->elements[c].is_choice()) ename.remove_suffix(3);
    if (ename == name) return true;
  }
  return false;
}

void all_children(const Item& item, Collection& out) {
  if (!item.is_node()) return;
  const JsonValue* obj = child_object(item);
  if (obj == nullptr) return;
  if (item.type == nullptr) {
    for (const auto& m : obj->GetObject()) {
      std::string_view key(m.name.GetString(), m.name.GetStringLength());
      if (key != "resourceType") add_untyped(&m.value, *obj, key, out);
    }
    return;
  }
  const TypeDef& owner = *item.owner;
  std::uint32_t parent = resolve_content_reference(owner, item.element);
  for (const auto& m : obj->GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key == "resourceType" || key == "fhir_comments") continue;
    if (!key.empty() && key[0] == '_') {
      key.remove_prefix(1);
      if (member(*obj, key) != nullptr) continue;  // visited with its value
    }
    ChildMatch match = find_child(owner, parent, key);
    if (!match.found()) continue;
    add_property(*obj, key, owner, static_cast<std::uint32_t>(match.index), match.type, out);
  }
}

bool is_fhir_primitive(const Item& item) {
  return item.is_node() && item.type != nullptr && item.type->kind == TypeKind::kPrimitive;
}

std::optional<Item> system_value(const Item& item) {
  if (!item.is_node()) return item;
  const JsonValue* v = item.json;
  if (v == nullptr) return std::nullopt;
  Item out;
  if (item.type == nullptr || item.type->kind == TypeKind::kPrimitive) {
    if (v->IsBool()) {
      out.kind = ItemKind::kBoolean;
      out.boolean = v->GetBool();
      return out;
    }
    if (is_json_number(*v)) {
      std::string_view text = json_number_text(*v);
      bool integral = text.find_first_of(".eE") == std::string_view::npos;
      std::optional<Primitive> p =
          item.type != nullptr ? primitive_from_name(item.type->name) : std::nullopt;
      if (p == Primitive::kDecimal) integral = false;
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      // An integer too large for 64 bits is still a number: kept as a Decimal.
      if (integral && ec == std::errc() && end == text.data() + text.size()) {
        out.kind = ItemKind::kInteger;
        out.integer = value;
        out.text = text;
      } else {
        out.kind = ItemKind::kDecimal;
        out.text = text;
      }
      return out;
    }
    if (!is_json_string(*v)) return std::nullopt;
    out.text = json_string(*v);
    out.kind = ItemKind::kString;
    if (item.type == nullptr) return out;
    std::optional<Primitive> p = primitive_from_name(item.type->name);
    if (p == Primitive::kDate) out.kind = ItemKind::kDate;
    if (p == Primitive::kDateTime || p == Primitive::kInstant) out.kind = ItemKind::kDateTime;
    if (p == Primitive::kTime) out.kind = ItemKind::kTime;
    return out;
  }
  if (derives_from(item.type, "Quantity") && v->IsObject()) {
    const JsonValue* value = member(*v, "value");
    if (value == nullptr || !is_json_number(*value)) return std::nullopt;
    out.kind = ItemKind::kQuantity;
    out.text = json_number_text(*value);
    const JsonValue* code = member(*v, "code");
    const JsonValue* unit = member(*v, "unit");
    if (code != nullptr && is_json_string(*code)) {
      out.unit = json_string(*code);
    } else if (unit != nullptr && is_json_string(*unit)) {
      out.unit = json_string(*unit);
    } else {
      out.unit = "1";
    }
    return out;
  }
  return std::nullopt;
}

std::string_view item_namespace(const Item& item) {
  return item.is_node() && item.type != nullptr ? "FHIR" : "System";
}

std::string_view item_type_name(const Item& item) {
  switch (item.kind) {
    case ItemKind::kNode:
      if (item.type != nullptr) return item.type->name;
      if (auto v = system_value(item)) return item_type_name(*v);
      return "Object";
    case ItemKind::kBoolean: return "Boolean";
    case ItemKind::kInteger: return "Integer";
    case ItemKind::kDecimal: return "Decimal";
    case ItemKind::kString: return "String";
    case ItemKind::kDate: return "Date";
    case ItemKind::kDateTime: return "DateTime";
    case ItemKind::kTime: return "Time";
    case ItemKind::kQuantity: return "Quantity";
  }
  return "";
}

bool is_type(const Item& item, const TypeSpec& spec, bool exact_primitive) {
  bool system_item = !item.is_node() || item.type == nullptr;
  if (spec.ns == "System" || (spec.ns.empty() && system_item)) {
    if (!system_item) return false;
    return item_type_name(item) == spec.name;
  }
  if (spec.ns != "FHIR" && !spec.ns.empty()) return false;
  if (system_item) return false;
  // FHIR primitives are distinct types for is/as (a code is not a string).
  if (exact_primitive && item.type->kind == TypeKind::kPrimitive) {
    return item.type->name == spec.name;
  }
  return derives_from(item.type, spec.name);
}

bool known_type(const TypeSpec& spec) {
  if (spec.ns == "System" || spec.ns == "FHIR") return true;
  if (spec.ns.empty() || spec.ns == "System") {
    for (std::string_view n : kSystemNames) {
      if (n == spec.name) return true;
    }
    if (spec.ns == "System") return false;
  }
  if (!spec.ns.empty() && spec.ns != "FHIR") return false;
  return find_type(spec.name) != nullptr;
}

}  // namespace hearth::fhir::fhirpath::detail
