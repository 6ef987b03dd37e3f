// Existence functions (http://hl7.org/fhirpath/N1/#existence): empty, exists, all, allTrue,
// anyTrue, allFalse, anyFalse, subsetOf, supersetOf, count, distinct, isDistinct.
#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/operators.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

Status fn_empty(Call& c) {
  return push_bool(c, c.input.empty());
}

Status fn_exists(Call& c) {
  if (c.node.args.empty()) return push_bool(c, !c.input.empty());
  for (std::size_t i = 0; i < c.input.size(); ++i) {
    Collection r;
    HEARTH_RETURN_IF_ERROR(c.eval_arg(0, c.input[i], static_cast<std::int64_t>(i), r));
    auto b = singleton_boolean(r, c.ev, c.node);
    if (!b.is_ok()) return std::move(b).take_status();
    if (*b == true) return push_bool(c, true);
  }
  return push_bool(c, false);
}

Status fn_all(Call& c) {
  for (std::size_t i = 0; i < c.input.size(); ++i) {
    Collection r;
    HEARTH_RETURN_IF_ERROR(c.eval_arg(0, c.input[i], static_cast<std::int64_t>(i), r));
    auto b = singleton_boolean(r, c.ev, c.node);
    if (!b.is_ok()) return std::move(b).take_status();
    if (*b != true) return push_bool(c, false);
  }
  return push_bool(c, true);
}

// allTrue/anyTrue/allFalse/anyFalse: `want` is the value looked for, `all` the quantifier.
Status bool_quantifier(Call& c, bool want, bool all) {
  for (const Item& i : c.input) {
    auto v = system_value(i);
    if (!v || v->kind != ItemKind::kBoolean) return c.error("expects a collection of booleans");
    bool match = v->boolean == want;
    if (all && !match) return push_bool(c, false);
    if (!all && match) return push_bool(c, true);
  }
  return push_bool(c, all);
}
Status fn_all_true(Call& c) {
  return bool_quantifier(c, true, true);
}
Status fn_any_true(Call& c) {
  return bool_quantifier(c, true, false);
}
Status fn_all_false(Call& c) {
  return bool_quantifier(c, false, true);
}
Status fn_any_false(Call& c) {
  return bool_quantifier(c, false, false);
}

bool subset(const Collection& a, const Collection& b) {
  for (const Item& x : a) {
    bool found = false;
    for (const Item& y : b) found = found || items_equal(x, y) == true;
    if (!found) return false;
  }
  return true;
}
Status fn_subset_of(Call& c) {
  return push_bool(c, subset(c.input, c.args[0]));
}
Status fn_superset_of(Call& c) {
  return push_bool(c, subset(c.args[0], c.input));
}

Status fn_count(Call& c) {
  return push(c, make_integer(static_cast<std::int64_t>(c.input.size())));
}

Status fn_distinct(Call& c) {
  for (const Item& i : c.input) add_distinct(c.out, i);
  return Status::ok();
}

Status fn_is_distinct(Call& c) {
  Collection d;
  for (const Item& i : c.input) add_distinct(d, i);
  return push_bool(c, d.size() == c.input.size());
}

constexpr FunctionDef kFunctions[] = {
    {"empty", 0, 0, ArgMode::kValues, fn_empty},
    {"exists", 0, 1, ArgMode::kLambda, fn_exists},
    {"all", 1, 1, ArgMode::kLambda, fn_all},
    {"allTrue", 0, 0, ArgMode::kValues, fn_all_true},
    {"anyTrue", 0, 0, ArgMode::kValues, fn_any_true},
    {"allFalse", 0, 0, ArgMode::kValues, fn_all_false},
    {"anyFalse", 0, 0, ArgMode::kValues, fn_any_false},
    {"subsetOf", 1, 1, ArgMode::kValues, fn_subset_of},
    {"supersetOf", 1, 1, ArgMode::kValues, fn_superset_of},
    {"count", 0, 0, ArgMode::kValues, fn_count},
    {"distinct", 0, 0, ArgMode::kValues, fn_distinct},
    {"isDistinct", 0, 0, ArgMode::kValues, fn_is_distinct},
};

}  // namespace

std::span<const FunctionDef> existence_functions() {
  return kFunctions;
}

}  // namespace hearth::fhir::fhirpath::detail
