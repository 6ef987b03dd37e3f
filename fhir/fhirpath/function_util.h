// Small helpers shared by the functions_<group>.cpp files.
#pragma once

#include <optional>
#include <string>

#include "fhir/fhirpath/evaluator.h"
#include "fhir/fhirpath/types.h"

namespace hearth::fhir::fhirpath::detail {

// The System value of the single input item; nullopt when the input is empty or the item has no
// value; an error when the input has several items.
inline Result<std::optional<Item>> input_value(const Call& c) {
  return singleton_value(c.input, c.ev, c.node);
}
// The System value of evaluated argument `i` (ArgMode::kValues).
inline Result<std::optional<Item>> arg_value(const Call& c, std::size_t i) {
  return singleton_value(c.args[i], c.ev, c.node);
}
// The single input as a String; nullopt when empty; an error for several items or another type.
inline Result<std::optional<std::string>> input_string(const Call& c) {
  if (c.input.size() == 1 && c.input[0].is_node() && c.input[0].type != nullptr &&
      c.input[0].type->kind != TypeKind::kPrimitive) {
    return c.error(std::string(c.node.name) + "() needs a String input");
  }
  auto v = input_value(c);
  if (!v.is_ok()) return std::move(v).take_status();
  if (!v->has_value()) return std::optional<std::string>();
  if ((*v)->kind != ItemKind::kString) {
    return c.error(std::string(c.node.name) + "() needs a String input");
  }
  return std::optional<std::string>((*v)->text);
}
inline Result<std::optional<std::string>> arg_string(const Call& c, std::size_t i) {
  auto v = arg_value(c, i);
  if (!v.is_ok()) return std::move(v).take_status();
  if (!v->has_value()) return std::optional<std::string>();
  if ((*v)->kind != ItemKind::kString) {
    return c.error(std::string(c.node.name) + "() needs a String argument");
  }
  return std::optional<std::string>((*v)->text);
}
inline Result<std::optional<std::int64_t>> arg_integer(const Call& c, std::size_t i) {
  auto v = arg_value(c, i);
  if (!v.is_ok()) return std::move(v).take_status();
  if (!v->has_value()) return std::optional<std::int64_t>();
  if ((*v)->kind != ItemKind::kInteger) {
    return c.error(std::string(c.node.name) + "() needs an Integer argument");
  }
  return std::optional<std::int64_t>((*v)->integer);
}

inline Status push(Call& c, Item item) {
  c.out.push_back(std::move(item));
  return Status::ok();
}
inline Status push_bool(Call& c, bool b) {
  return push(c, make_boolean(b));
}

}  // namespace hearth::fhir::fhirpath::detail
