// Locating FHIRPath nodes in their document and editing FHIR elements as value + `_` pairs.
#include "fhir/patch/element_slot.h"

#include <algorithm>

#include "fhir/patch/json_edit.h"

namespace hearth::fhir::patch {
namespace {

JsonValue* find(JsonValue& object, std::string_view name) {
  auto it = object.FindMember(
      JsonValue(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string ext_key(std::string_view key) {
  return "_" + std::string(key);
}

// Where `node` sits in `value`: the value itself, or the position in it when `value` is an array
// holding `node`. nullopt (outer) when it is not there.
std::optional<std::optional<std::size_t>> position_in(const JsonValue& value,
                                                      const JsonValue* node) {
  if (&value == node) return std::optional<std::size_t>();
  if (value.IsArray() && value.Size() > 0 && node >= value.Begin() && node < value.End()) {
    return std::optional<std::size_t>(static_cast<std::size_t>(node - value.Begin()));
  }
  return std::nullopt;
}

bool all_null(const JsonValue& array) {
  for (const JsonValue& e : array.GetArray()) {
    if (!e.IsNull()) return false;
  }
  return true;
}

// Sets member `name` of `object` to `value` (moved from), adding it when absent.
void set_member(JsonValue& object, std::string_view name, JsonValue& value,
                JsonAllocator& allocator) {
  if (JsonValue* existing = find(object, name)) {
    *existing = value;
    return;
  }
  object.AddMember(JsonValue(name.data(), static_cast<rapidjson::SizeType>(name.size()), allocator),
                   value, allocator);
}

// Drops the extension array `_key` when it carries nothing.
void drop_empty_ext(JsonValue& object, std::string_view key) {
  std::string name = ext_key(key);
  JsonValue* ext = find(object, name);
  if (ext != nullptr && ext->IsArray() && all_null(*ext)) erase_member(object, name);
}

// Makes `_key` an array of at least `size` entries (null-padded), converting a lone value.
JsonValue& ext_array(JsonValue& object, std::string_view key, std::size_t size,
                     JsonAllocator& allocator) {
  std::string name = ext_key(key);
  JsonValue* ext = find(object, name);
  if (ext == nullptr || !ext->IsArray()) {
    JsonValue array(rapidjson::kArrayType);
    if (ext != nullptr) array.PushBack(*ext, allocator);  // a lone `_key` becomes entry 0
    set_member(object, name, array, allocator);
    ext = find(object, name);
  }
  while (ext->Size() < size) ext->PushBack(JsonValue(), allocator);
  return *ext;
}

}  // namespace

Result<ElementSlot> locate_element(const fhirpath::Item& item) {
  if (!item.is_node() || item.parent == nullptr || !item.parent->IsObject()) {
    return Status(Code::kUnprocessable,
                  "the path selects something that is not an element of "
                  "the resource (the resource itself or a computed value)");
  }
  // The evaluation read the document through a const reference; the caller owns it mutably.
  JsonValue* parent = const_cast<JsonValue*>(item.parent);
  const JsonValue* node = item.json != nullptr ? item.json : item.json_ext;
  for (auto& m : parent->GetObject()) {
    std::optional<std::optional<std::size_t>> at = position_in(m.value, node);
    if (!at) continue;
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (item.json == nullptr && key.starts_with('_')) key.remove_prefix(1);
    return ElementSlot{parent, std::string(key), *at};
  }
  return Status(Code::kUnprocessable, "the path selects a node that cannot be edited");
}

ElementValue take_element(const ElementSlot& slot) {
  ElementValue out;
  JsonValue& object = *slot.object;
  std::string ext_name = ext_key(slot.key);
  JsonValue* value = find(object, slot.key);
  JsonValue* ext = find(object, ext_name);
  if (!slot.index) {
    if (value != nullptr) out.value = *value;
    if (ext != nullptr) out.ext = *ext;
    erase_member(object, slot.key);
    erase_member(object, ext_name);
    return out;
  }
  auto i = static_cast<rapidjson::SizeType>(*slot.index);
  if (value != nullptr && value->IsArray() && i < value->Size()) {
    out.value = (*value)[i];
    value->Erase(value->Begin() + i);
    if (value->Empty()) erase_member(object, slot.key);
  }
  ext = find(object, ext_name);
  if (ext != nullptr && ext->IsArray() && i < ext->Size()) {
    out.ext = (*ext)[i];
    ext->Erase(ext->Begin() + i);
    drop_empty_ext(object, slot.key);
  }
  return out;
}

void put_element(const ElementSlot& slot, ElementValue& element, JsonAllocator& allocator) {
  JsonValue& object = *slot.object;
  std::string ext_name = ext_key(slot.key);
  if (!slot.index) {
    if (element.value.IsNull()) {
      erase_member(object, slot.key);
    } else {
      set_member(object, slot.key, element.value, allocator);
    }
    if (element.ext.IsNull()) {
      erase_member(object, ext_name);
    } else {
      set_member(object, ext_name, element.ext, allocator);
    }
    return;
  }
  auto i = static_cast<rapidjson::SizeType>(*slot.index);
  JsonValue* value = find(object, slot.key);
  if (value != nullptr && value->IsArray() && i < value->Size()) (*value)[i] = element.value;
  JsonValue* ext = find(object, ext_name);
  if (!element.ext.IsNull()) {
    std::size_t size = value != nullptr && value->IsArray() ? value->Size() : i + 1;
    ext_array(object, slot.key, size, allocator)[i] = element.ext;
  } else if (ext != nullptr && ext->IsArray() && i < ext->Size()) {
    (*ext)[i].SetNull();
    drop_empty_ext(object, slot.key);
  }
}

void insert_element(JsonValue& object, std::string_view key, std::size_t index,
                    ElementValue& element, JsonAllocator& allocator) {
  std::size_t count = element_count(object, key);
  JsonValue* value = find(object, key);
  if (value == nullptr || !value->IsArray()) {
    // A lone value (or only its `_` half) becomes the first entry of an array.
    JsonValue array(rapidjson::kArrayType);
    if (value != nullptr) {
      array.PushBack(*value, allocator);
    } else {
      for (std::size_t i = 0; i < count; ++i) array.PushBack(JsonValue(), allocator);
    }
    set_member(object, key, array, allocator);
    value = find(object, key);
  }
  JsonValue* ext = find(object, ext_key(key));
  bool aligned_ext = ext != nullptr || !element.ext.IsNull();
  insert_array_element(*value, index, element.value, allocator);
  if (aligned_ext) {
    JsonValue& array = ext_array(object, key, count, allocator);
    insert_array_element(array, index, element.ext, allocator);
    drop_empty_ext(object, key);
  }
}

JsonValue& ext_object(const ElementSlot& slot, JsonAllocator& allocator) {
  JsonValue& object = *slot.object;
  if (slot.index) {
    std::size_t size = std::max(element_count(object, slot.key), *slot.index + 1);
    JsonValue& entry =
        ext_array(object, slot.key, size, allocator)[static_cast<rapidjson::SizeType>(*slot.index)];
    if (!entry.IsObject()) entry.SetObject();
    return entry;
  }
  std::string name = ext_key(slot.key);
  JsonValue* ext = find(object, name);
  if (ext == nullptr || !ext->IsObject()) {
    JsonValue empty(rapidjson::kObjectType);
    set_member(object, name, empty, allocator);
    ext = find(object, name);
  }
  return *ext;
}

std::size_t element_count(const JsonValue& object, std::string_view key) {
  std::size_t count = 0;
  for (std::string name : {std::string(key), ext_key(key)}) {
    auto it = object.FindMember(JsonValue(
        rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
    if (it == object.MemberEnd()) continue;
    count = std::max<std::size_t>(count, it->value.IsArray() ? it->value.Size() : 1);
  }
  return count;
}

void prune_empty(JsonValue& root) {
  if (root.IsArray()) {
    for (JsonValue& e : root.GetArray()) prune_empty(e);
    return;
  }
  if (!root.IsObject()) return;
  for (auto& m : root.GetObject()) {
    prune_empty(m.value);
    if (!m.value.IsArray()) continue;
    bool ext_half = m.name.GetStringLength() > 0 && m.name.GetString()[0] == '_';
    JsonValue& array = m.value;
    for (rapidjson::SizeType i = 0; i < array.Size();) {
      if (array[i].IsObject() && array[i].ObjectEmpty()) {
        if (!ext_half) {
          array.Erase(array.Begin() + i);
          continue;
        }
        array[i].SetNull();  // keeps the alignment with the value half
      }
      ++i;
    }
  }
  // The `_` halves first: an all-null value array is kept only while its `_` half carries
  // something (a list of extension-only primitives).
  for (bool ext_pass : {true, false}) {
    for (auto it = root.MemberBegin(); it != root.MemberEnd();) {
      std::string_view name(it->name.GetString(), it->name.GetStringLength());
      const JsonValue& v = it->value;
      bool empty = false;
      if (name.starts_with('_') == ext_pass) {
        empty = (v.IsObject() && v.ObjectEmpty()) || (v.IsArray() && v.Empty());
        if (!empty && v.IsArray() && all_null(v)) {
          empty = ext_pass || find(root, ext_key(name)) == nullptr;
        }
      }
      it = empty ? root.EraseMember(it) : it + 1;
    }
  }
}

}  // namespace hearth::fhir::patch
