// FHIRPath Patch: each operation's parts are read and checked, its path evaluated on the current
// resource, and the selected elements edited through element_slot.h.
#include "fhir/patch/fhirpath_patch.h"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/patch/element_slot.h"
#include "fhir/patch/json_edit.h"
#include "fhir/patch/patch_limits.h"
#include "fhir/patch/patch_value.h"

namespace hearth::fhir::patch {
namespace {

using fhirpath::Collection;
using fhirpath::Item;

// One operation's parts, as read from its parameter.
struct Operation {
  std::string_view type;
  std::string_view path;
  std::optional<std::string_view> name;
  const JsonValue* value = nullptr;  // the `value` part itself
  std::optional<std::size_t> index;
  std::optional<std::size_t> source;
  std::optional<std::size_t> destination;
};

// What each type needs (and allows) besides type and path.
struct TypeShape {
  std::string_view type;
  bool name, value, index, move;
};
constexpr TypeShape kTypes[] = {
    {"add", true, true, false, false},      {"insert", false, true, true, false},
    {"delete", false, false, false, false}, {"replace", false, true, false, false},
    {"move", false, false, false, true},
};

const JsonValue* member(const JsonValue& object, std::string_view name) {
  auto it = object.FindMember(
      JsonValue(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// Context for messages: "operation 2 (replace): ".
struct OpError {
  std::size_t index;
  std::string type = "?";
  Status operator()(Code code, std::string_view message) const {
    return Status(
        code, "operation " + std::to_string(index) + " (" + type + "): " + std::string(message));
  }
};

Result<std::string_view> string_part(const OpError& err, const JsonValue& part,
                                     std::string_view name, std::string_view member_name) {
  const JsonValue* v = member(part, member_name);
  if (v == nullptr || !is_json_string(*v)) {
    return err(Code::kInvalidArgument,
               "part '" + std::string(name) + "' needs a " + std::string(member_name));
  }
  std::string_view text = json_string(*v);
  if (text.size() > kMaxPatchPathBytes) {
    return err(Code::kInvalidArgument, "part '" + std::string(name) + "' is longer than " +
                                           std::to_string(kMaxPatchPathBytes) + " bytes");
  }
  return text;
}

Result<std::size_t> integer_part(const OpError& err, const JsonValue& part, std::string_view name) {
  const JsonValue* v = member(part, "valueInteger");
  std::size_t n = 0;
  if (v != nullptr && is_json_number(*v)) {
    std::string_view text = json_number_text(*v);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size()) return n;
  }
  return err(Code::kInvalidArgument,
             "part '" + std::string(name) + "' needs a valueInteger of 0 or more");
}

Result<Operation> read_operation(OpError& err, const JsonValue& parameter) {
  if (!parameter.IsObject()) return err(Code::kInvalidArgument, "the parameter is not an object");
  const JsonValue* pname = member(parameter, "name");
  if (pname == nullptr || !is_json_string(*pname) || json_string(*pname) != "operation") {
    return err(Code::kInvalidArgument, "every parameter must be named 'operation'");
  }
  const JsonValue* parts = member(parameter, "part");
  if (parts == nullptr || !parts->IsArray()) return err(Code::kInvalidArgument, "has no parts");
  Operation op;
  bool seen_type = false, seen_path = false;
  for (const JsonValue& part : parts->GetArray()) {
    const JsonValue* n = part.IsObject() ? member(part, "name") : nullptr;
    if (n == nullptr || !is_json_string(*n)) {
      return err(Code::kInvalidArgument, "a part has no name");
    }
    std::string_view name = json_string(*n);
    bool repeated = false;
    if (name == "type") {
      repeated = seen_type;
      seen_type = true;
      HEARTH_ASSIGN_OR_RETURN(op.type, string_part(err, part, name, "valueCode"));
      err.type = std::string(op.type.substr(0, 32));
    } else if (name == "path") {
      repeated = seen_path;
      seen_path = true;
      HEARTH_ASSIGN_OR_RETURN(op.path, string_part(err, part, name, "valueString"));
    } else if (name == "name") {
      repeated = op.name.has_value();
      HEARTH_ASSIGN_OR_RETURN(op.name, string_part(err, part, name, "valueString"));
    } else if (name == "value") {
      repeated = op.value != nullptr;
      op.value = &part;
    } else if (name == "index" || name == "source" || name == "destination") {
      std::optional<std::size_t>& slot =
          name == "index" ? op.index : (name == "source" ? op.source : op.destination);
      repeated = slot.has_value();
      HEARTH_ASSIGN_OR_RETURN(slot, integer_part(err, part, name));
    } else {
      return err(Code::kInvalidArgument, "unknown part '" + std::string(name.substr(0, 64)) + "'");
    }
    if (repeated) {
      return err(Code::kInvalidArgument, "part '" + std::string(name) + "' is given twice");
    }
  }
  if (!seen_type) return err(Code::kInvalidArgument, "has no 'type' part");
  const TypeShape* shape = nullptr;
  for (const TypeShape& t : kTypes) {
    if (t.type == op.type) shape = &t;
  }
  if (shape == nullptr) {
    return err(Code::kInvalidArgument, "unknown type (add, insert, delete, replace, move)");
  }
  if (!seen_path) return err(Code::kInvalidArgument, "has no 'path' part");
  auto check = [&](bool wanted, bool present, std::string_view part) -> Status {
    if (wanted && !present) {
      return err(Code::kInvalidArgument, "needs a '" + std::string(part) + "' part");
    }
    if (!wanted && present) {
      return err(Code::kInvalidArgument, "does not take a '" + std::string(part) + "' part");
    }
    return Status::ok();
  };
  HEARTH_RETURN_IF_ERROR(check(shape->name, op.name.has_value(), "name"));
  HEARTH_RETURN_IF_ERROR(check(shape->value, op.value != nullptr, "value"));
  HEARTH_RETURN_IF_ERROR(check(shape->index, op.index.has_value(), "index"));
  HEARTH_RETURN_IF_ERROR(check(shape->move, op.source.has_value(), "source"));
  HEARTH_RETURN_IF_ERROR(check(shape->move, op.destination.has_value(), "destination"));
  return op;
}

// The node items `op.path` selects in `resource`.
Result<Collection> select(const OpError& err, const Operation& op, const JsonDocument& resource) {
  Result<fhirpath::Expression> expr = fhirpath::compile(op.path);
  if (!expr.is_ok()) {
    return err(Code::kInvalidArgument,
               "path '" + std::string(op.path) + "': " + expr.status().message());
  }
  Result<Collection> items = fhirpath::evaluate(*expr, resource);
  if (!items.is_ok()) {
    return err(Code::kUnprocessable,
               "path '" + std::string(op.path) + "': " + items.status().message());
  }
  for (const Item& item : *items) {
    if (!item.is_node()) {
      return err(Code::kUnprocessable,
                 "path '" + std::string(op.path) + "' selects a computed value, not an element");
    }
  }
  return items;
}

Status count_error(const OpError& err, const Operation& op, std::size_t count,
                   std::string_view needed) {
  return err(Code::kUnprocessable, "path '" + std::string(op.path) + "' matches " +
                                       std::to_string(count) + " elements; " + err.type +
                                       " needs " + std::string(needed));
}

Result<ElementSlot> locate(const OpError& err, const Operation& op, const Item& item) {
  Result<ElementSlot> slot = locate_element(item);
  if (!slot.is_ok()) {
    return err(Code::kUnprocessable,
               "path '" + std::string(op.path) + "': " + slot.status().message());
  }
  return slot;
}

// The one repeating element (object + key) that every selected item is an entry of.
Result<ElementSlot> common_list(const OpError& err, const Operation& op, const Collection& items) {
  if (items.empty()) {
    return err(Code::kUnprocessable, "path '" + std::string(op.path) +
                                         "' matches no element (to create a first one, use add)");
  }
  HEARTH_ASSIGN_OR_RETURN(ElementSlot list, locate(err, op, items[0]));
  for (const Item& item : items) {
    HEARTH_ASSIGN_OR_RETURN(ElementSlot slot, locate(err, op, item));
    if (!slot.index || slot.object != list.object || slot.key != list.key) {
      return err(Code::kUnprocessable, "path '" + std::string(op.path) +
                                           "' does not select the entries of one repeating "
                                           "element");
    }
  }
  list.index.reset();
  return list;
}

Status index_error(const OpError& err, std::string_view part, std::size_t value, std::size_t max) {
  return err(Code::kUnprocessable, std::string(part) + " " + std::to_string(value) +
                                       " is out of range 0.." + std::to_string(max));
}

Status apply_add(const OpError& err, const Operation& op, const Collection& items,
                 NodeBudget& budget, JsonDocument& resource) {
  if (items.size() != 1) return count_error(err, op, items.size(), "exactly one");
  const Item& parent = items[0];
  auto& alloc = resource.GetAllocator();
  JsonValue* container = nullptr;
  bool primitive = parent.type != nullptr && parent.type->kind == TypeKind::kPrimitive;
  if (primitive) {
    if (*op.name == "value") {
      return err(Code::kUnprocessable, "a primitive's value is set by replace, not add");
    }
    HEARTH_ASSIGN_OR_RETURN(ElementSlot slot, locate(err, op, parent));
    container = &ext_object(slot, alloc);
  } else {
    // The evaluation read the resource through a const reference; it is ours to edit.
    container = const_cast<JsonValue*>(parent.json);
  }
  if (container == nullptr || !container->IsObject()) {
    return err(Code::kUnprocessable,
               "path '" + std::string(op.path) + "' does not select an element with children");
  }
  Result<ChildElement> child = find_child_element({parent.owner, parent.element}, *op.name);
  if (!child.is_ok()) return err(Code::kUnprocessable, child.status().message());
  Result<PartValue> value = part_value(*op.value, child->context, budget, alloc);
  if (!value.is_ok()) return err(value.status().code(), "value: " + value.status().message());
  Result<std::string> key = child_json_key(*child, *op.name, value->type_suffix);
  if (!key.is_ok()) return err(Code::kUnprocessable, key.status().message());
  std::size_t count = element_count(*container, *key);
  const JsonValue* existing = member(*container, *key);
  if (child->repeating || (child->def == nullptr && existing != nullptr && existing->IsArray())) {
    insert_element(*container, *key, count, value->element, alloc);
    return Status::ok();
  }
  if (count > 0) {
    return err(Code::kUnprocessable, "'" + *key +
                                         "' already exists and does not repeat; use "
                                         "replace");
  }
  put_element(ElementSlot{container, *key, std::nullopt}, value->element, alloc);
  return Status::ok();
}

Status apply_one(const OpError& err, const Operation& op, NodeBudget& budget,
                 JsonDocument& resource) {
  HEARTH_ASSIGN_OR_RETURN(Collection items, select(err, op, resource));
  auto& alloc = resource.GetAllocator();
  if (op.type == "add") return apply_add(err, op, items, budget, resource);
  if (op.type == "delete") {
    if (items.empty()) return Status::ok();
    if (items.size() > 1) return count_error(err, op, items.size(), "at most one");
    HEARTH_ASSIGN_OR_RETURN(ElementSlot slot, locate(err, op, items[0]));
    (void)take_element(slot);
    return Status::ok();
  }
  if (op.type == "replace") {
    if (items.size() != 1) return count_error(err, op, items.size(), "exactly one");
    HEARTH_ASSIGN_OR_RETURN(ElementSlot slot, locate(err, op, items[0]));
    Result<PartValue> value =
        part_value(*op.value, {items[0].owner, items[0].element}, budget, alloc);
    if (!value.is_ok()) return err(value.status().code(), "value: " + value.status().message());
    put_element(slot, value->element, alloc);
    return Status::ok();
  }
  HEARTH_ASSIGN_OR_RETURN(ElementSlot list, common_list(err, op, items));
  std::size_t count = element_count(*list.object, list.key);
  if (op.type == "insert") {
    if (*op.index > count) return index_error(err, "index", *op.index, count);
    Result<PartValue> value =
        part_value(*op.value, {items[0].owner, items[0].element}, budget, alloc);
    if (!value.is_ok()) return err(value.status().code(), "value: " + value.status().message());
    insert_element(*list.object, list.key, *op.index, value->element, alloc);
    return Status::ok();
  }
  // move
  if (*op.source >= count) return index_error(err, "source", *op.source, count - 1);
  if (*op.destination >= count) return index_error(err, "destination", *op.destination, count - 1);
  list.index = *op.source;
  ElementValue moved = take_element(list);
  insert_element(*list.object, list.key, *op.destination, moved, alloc);
  return Status::ok();
}

}  // namespace

Status apply_fhirpath_patch(const JsonValue& parameters, JsonDocument& resource) {
  const JsonValue* rt = parameters.IsObject() ? member(parameters, "resourceType") : nullptr;
  if (rt == nullptr || !is_json_string(*rt) || json_string(*rt) != "Parameters") {
    return Status(Code::kInvalidArgument, "a FHIRPath Patch must be a Parameters resource");
  }
  const JsonValue* list = member(parameters, "parameter");
  if (list == nullptr) return Status::ok();
  if (!list->IsArray())
    return Status(Code::kInvalidArgument, "Parameters.parameter is not an array");
  if (list->Size() > kMaxPatchOperations) {
    return Status(Code::kInvalidArgument, "the patch has " + std::to_string(list->Size()) +
                                              " operations; at most " +
                                              std::to_string(kMaxPatchOperations) + " are allowed");
  }
  NodeBudget budget;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    OpError err{i};
    HEARTH_ASSIGN_OR_RETURN(Operation op, read_operation(err, (*list)[i]));
    HEARTH_RETURN_IF_ERROR(apply_one(err, op, budget, resource));
  }
  HEARTH_RETURN_IF_ERROR(check_patched_depth(resource));
  prune_empty(resource);
  return Status::ok();
}

}  // namespace hearth::fhir::patch
