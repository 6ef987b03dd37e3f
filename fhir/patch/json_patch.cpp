// RFC 6902 operations over JSON Pointer locations. Each operation is checked for shape first
// (400-class errors), then applied (422-class errors), with messages naming the operation.
#include "fhir/patch/json_patch.h"

#include <string>
#include <string_view>
#include <vector>

#include "fhir/patch/json_edit.h"
#include "fhir/patch/json_equal.h"
#include "fhir/patch/json_pointer.h"
#include "fhir/patch/patch_limits.h"

namespace hearth::fhir::patch {
namespace {

using Tokens = std::vector<std::string>;

// One operation being applied: its index and op name prefix every message.
struct Op {
  std::size_t index;
  std::string_view name;
  JsonDocument& doc;
  NodeBudget& budget;

  Status error(Code code, std::string_view message) const {
    return Status(code, "operation " + std::to_string(index) + " (" + std::string(name) +
                            "): " + std::string(message));
  }
  Status missing(const Tokens& path, std::string_view role = "path") const {
    return error(
        Code::kUnprocessable,
        std::string(role) + " " + json_pointer_text(path, path.size()) + " does not exist");
  }
};

const JsonValue* member(const JsonValue& object, std::string_view name) {
  auto it = object.FindMember(
      JsonValue(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

Result<Tokens> pointer_member(const Op& op, const JsonValue& entry, std::string_view name) {
  const JsonValue* v = member(entry, name);
  if (v == nullptr) return op.error(Code::kInvalidArgument, "has no '" + std::string(name) + "'");
  if (!is_json_string(*v)) {
    return op.error(Code::kInvalidArgument, "'" + std::string(name) + "' is not a string");
  }
  Result<Tokens> tokens = parse_json_pointer(json_string(*v));
  if (!tokens.is_ok()) {
    return op.error(Code::kInvalidArgument,
                    "'" + std::string(name) + "': " + tokens.status().message());
  }
  return tokens;
}

// Adds `value` (moved from) at `path`: replaces the whole document for "", sets an object member
// (replacing any), or inserts into an array at an index or "-" (the end).
Status add_at(const Op& op, const Tokens& path, JsonValue& value) {
  if (path.empty()) {
    static_cast<JsonValue&>(op.doc) = value;  // RapidJSON assignment moves
    return Status::ok();
  }
  JsonValue* parent = resolve_json_pointer(op.doc, path, path.size() - 1);
  if (parent == nullptr || (!parent->IsObject() && !parent->IsArray())) {
    return op.error(
        Code::kUnprocessable,
        "path " + json_pointer_text(path, path.size()) + " does not exist (" +
            (parent == nullptr
                 ? "its parent " + json_pointer_text(path, path.size() - 1) + " is missing"
                 : std::string("its parent is not an object or array")) +
            ")");
  }
  auto& alloc = op.doc.GetAllocator();
  const std::string& last = path.back();
  if (parent->IsObject()) {
    JsonValue key(rapidjson::StringRef(last.data(), static_cast<rapidjson::SizeType>(last.size())));
    auto it = parent->FindMember(key);
    if (it != parent->MemberEnd()) {
      it->value = value;
    } else {
      parent->AddMember(
          JsonValue(last.data(), static_cast<rapidjson::SizeType>(last.size()), alloc), value,
          alloc);
    }
    return Status::ok();
  }
  std::size_t index = parent->Size();
  if (last != "-") {
    std::optional<std::size_t> parsed = parse_array_index(last);
    if (!parsed || *parsed > parent->Size()) {
      return op.error(Code::kUnprocessable, "path " + json_pointer_text(path, path.size()) + ": '" +
                                                last + "' is not an index of 0.." +
                                                std::to_string(parent->Size()) + " or '-'");
    }
    index = *parsed;
  }
  insert_array_element(*parent, index, value, alloc);
  return Status::ok();
}

// Takes the value at `path` out of the document (remove, move).
Result<JsonValue> take_at(const Op& op, const Tokens& path, std::string_view role) {
  if (path.empty()) {
    return op.error(Code::kUnprocessable, "cannot remove or move the whole document");
  }
  JsonValue* parent = resolve_json_pointer(op.doc, path, path.size() - 1);
  JsonValue* target = resolve_json_pointer(op.doc, path, path.size());
  if (parent == nullptr || target == nullptr) return op.missing(path, role);
  JsonValue taken;
  taken = *target;  // moves, leaving null behind
  if (parent->IsObject()) {
    erase_member(*parent, path.back());
  } else {
    parent->Erase(target);
  }
  return taken;
}

bool is_proper_prefix(const Tokens& prefix, const Tokens& path) {
  if (prefix.size() >= path.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != path[i]) return false;
  }
  return true;
}

Status apply_one(const Op& op, const JsonValue& entry) {
  HEARTH_ASSIGN_OR_RETURN(Tokens path, pointer_member(op, entry, "path"));
  auto& alloc = op.doc.GetAllocator();
  const JsonValue* value = nullptr;
  if (op.name == "add" || op.name == "replace" || op.name == "test") {
    value = member(entry, "value");
    if (value == nullptr) return op.error(Code::kInvalidArgument, "has no 'value'");
  }
  if (op.name == "add") {
    HEARTH_RETURN_IF_ERROR(op.budget.spend(*value));
    JsonValue copy(*value, alloc);
    return add_at(op, path, copy);
  }
  if (op.name == "remove") return take_at(op, path, "path").status();
  if (op.name == "replace") {
    JsonValue* target = resolve_json_pointer(op.doc, path, path.size());
    if (target == nullptr) return op.missing(path);
    HEARTH_RETURN_IF_ERROR(op.budget.spend(*value));
    JsonValue copy(*value, alloc);
    *target = copy;
    return Status::ok();
  }
  if (op.name == "test") {
    JsonValue* target = resolve_json_pointer(op.doc, path, path.size());
    if (target == nullptr) return op.missing(path);
    if (!json_equal(*target, *value)) {
      return op.error(Code::kUnprocessable,
                      "the value at " + json_pointer_text(path, path.size()) + " is not equal");
    }
    return Status::ok();
  }
  HEARTH_ASSIGN_OR_RETURN(Tokens from, pointer_member(op, entry, "from"));
  if (op.name == "move") {
    if (from == path) {
      if (resolve_json_pointer(op.doc, from, from.size()) == nullptr)
        return op.missing(from, "from");
      return Status::ok();
    }
    if (is_proper_prefix(from, path)) {
      return op.error(Code::kInvalidArgument,
                      "cannot move " + json_pointer_text(from, from.size()) +
                          " into its own child " + json_pointer_text(path, path.size()));
    }
    HEARTH_ASSIGN_OR_RETURN(JsonValue taken, take_at(op, from, "from"));
    return add_at(op, path, taken);
  }
  // copy
  JsonValue* source = resolve_json_pointer(op.doc, from, from.size());
  if (source == nullptr) return op.missing(from, "from");
  HEARTH_RETURN_IF_ERROR(op.budget.spend(*source));
  JsonValue copy(*source, alloc);
  return add_at(op, path, copy);
}

}  // namespace

Status apply_json_patch(const JsonValue& patch, JsonDocument& doc) {
  if (!patch.IsArray()) {
    return Status(Code::kInvalidArgument, "a JSON Patch document must be an array of operations");
  }
  if (patch.Size() > kMaxPatchOperations) {
    return Status(Code::kInvalidArgument, "the patch has " + std::to_string(patch.Size()) +
                                              " operations; at most " +
                                              std::to_string(kMaxPatchOperations) + " are allowed");
  }
  NodeBudget budget;
  for (rapidjson::SizeType i = 0; i < patch.Size(); ++i) {
    const JsonValue& entry = patch[i];
    Op op{i, "?", doc, budget};
    if (!entry.IsObject()) return op.error(Code::kInvalidArgument, "is not a JSON object");
    const JsonValue* name = member(entry, "op");
    if (name == nullptr || !is_json_string(*name)) {
      return op.error(Code::kInvalidArgument, "has no 'op' string");
    }
    op.name = json_string(*name);
    if (op.name != "add" && op.name != "remove" && op.name != "replace" && op.name != "move" &&
        op.name != "copy" && op.name != "test") {
      std::string shown(op.name.substr(0, 64));
      op.name = "?";
      return op.error(Code::kInvalidArgument,
                      "unknown op '" + shown + "' (add, remove, replace, move, copy, test)");
    }
    HEARTH_RETURN_IF_ERROR(apply_one(op, entry));
  }
  return check_patched_depth(doc);
}

}  // namespace hearth::fhir::patch
