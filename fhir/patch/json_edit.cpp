// Array insertion, ordered member removal and the patch budgets.
#include "fhir/patch/json_edit.h"

#include <string>
#include <vector>

#include "fhir/patch/patch_limits.h"

namespace hearth::fhir::patch {
namespace {

// Adds the values of `value` to `count`, stopping once `count` exceeds `cap`. Iterative, so a
// deep value costs no stack.
void count_nodes(const JsonValue& value, std::size_t cap, std::size_t& count) {
  std::vector<const JsonValue*> stack{&value};
  while (!stack.empty() && count <= cap) {
    const JsonValue* v = stack.back();
    stack.pop_back();
    ++count;
    if (v->IsArray()) {
      for (const JsonValue& e : v->GetArray()) stack.push_back(&e);
    } else if (v->IsObject()) {
      for (const auto& m : v->GetObject()) stack.push_back(&m.value);
    }
  }
}

bool depth_within(const JsonValue& value, int remaining) {
  if (!value.IsArray() && !value.IsObject()) return true;
  if (remaining == 0) return false;
  if (value.IsArray()) {
    for (const JsonValue& e : value.GetArray()) {
      if (!depth_within(e, remaining - 1)) return false;
    }
    return true;
  }
  for (const auto& m : value.GetObject()) {
    if (!depth_within(m.value, remaining - 1)) return false;
  }
  return true;
}

}  // namespace

void insert_array_element(JsonValue& array, std::size_t index, JsonValue& value,
                          JsonAllocator& allocator) {
  array.PushBack(value, allocator);
  for (std::size_t i = array.Size() - 1; i > index; --i) {
    array[static_cast<rapidjson::SizeType>(i)].Swap(array[static_cast<rapidjson::SizeType>(i - 1)]);
  }
}

void erase_member(JsonValue& object, std::string_view name) {
  auto it = object.FindMember(
      JsonValue(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))));
  if (it != object.MemberEnd()) object.EraseMember(it);
}

Status NodeBudget::spend(const JsonValue& value) {
  count_nodes(value, kMaxPatchNewNodes, spent_);
  if (spent_ > kMaxPatchNewNodes) {
    return Status(Code::kUnprocessable, "the patch creates more than " +
                                            std::to_string(kMaxPatchNewNodes) + " JSON values");
  }
  return Status::ok();
}

Status check_patched_depth(const JsonValue& value) {
  if (depth_within(value, kMaxPatchedDepth)) return Status::ok();
  return Status(Code::kUnprocessable, "the patched document nests deeper than " +
                                          std::to_string(kMaxPatchedDepth) + " levels");
}

}  // namespace hearth::fhir::patch
