// Math (http://hl7.org/fhirpath/N1/#math): abs, ceiling, exp, floor, ln, log, power, round,
// sqrt, truncate. Exact where the result is exact (Decimal arithmetic), through double for the
// transcendental ones.
#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/operators.h"
#include "fhir/fhirpath/values.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

// The single numeric input; nullopt when empty; an error for other types.
Result<std::optional<Item>> number_input(const Call& c, bool allow_quantity = false) {
  auto v = input_value(c);
  if (!v.is_ok()) return v;
  if (!v->has_value()) return v;
  ItemKind k = (*v)->kind;
  if (k != ItemKind::kInteger && k != ItemKind::kDecimal &&
      !(allow_quantity && k == ItemKind::kQuantity)) {
    return c.error(std::string(c.node.name) + "() needs a number");
  }
  return v;
}

// NOLINTBEGIN(bugprone-macro-parentheses): the arguments name a call and the declared value.
#define HEARTH_NUMBER_INPUT(c, v, q)                         \
  auto v##_r = number_input(c, q);                           \
  if (!v##_r.is_ok()) return std::move(v##_r).take_status(); \
  if (!v##_r->has_value()) return Status::ok();              \
  const Item& v = **v##_r
// NOLINTEND(bugprone-macro-parentheses)

Status fn_abs(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, true);
  if (v.kind == ItemKind::kInteger) {
    if (v.integer == INT64_MIN) return Status::ok();
    return push(c, make_integer(v.integer < 0 ? -v.integer : v.integer));
  }
  auto d = Decimal::parse(v.text);
  if (!d) return Status::ok();
  Item r = v;
  r.text = d->abs().to_string();
  return push(c, std::move(r));
}

Status integer_result(Call& c, const Decimal& d) {
  auto i = d.to_int64();
  if (i) c.out.push_back(make_integer(*i));
  return Status::ok();
}

Status decimal_result(Call& c, const std::optional<Decimal>& d) {
  if (d) c.out.push_back(make_decimal(*d));
  return Status::ok();
}

Status fn_ceiling(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return integer_result(c, item_decimal(v)->ceiling());
}
Status fn_floor(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return integer_result(c, item_decimal(v)->floor());
}
Status fn_truncate(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return integer_result(c, item_decimal(v)->truncate());
}
Status fn_exp(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return decimal_result(c, item_decimal(v)->exp());
}
Status fn_ln(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return decimal_result(c, item_decimal(v)->ln());
}
Status fn_sqrt(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return decimal_result(c, item_decimal(v)->sqrt());
}

Result<std::optional<Decimal>> number_arg(const Call& c, std::size_t i) {
  auto a = arg_value(c, i);
  if (!a.is_ok()) return std::move(a).take_status();
  if (!a->has_value()) return std::optional<Decimal>();
  auto d = item_decimal(**a);
  if (!d) return c.error(std::string(c.node.name) + "() needs a number argument");
  return std::optional<Decimal>(*d);
}

Status fn_log(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  auto base = number_arg(c, 0);
  if (!base.is_ok()) return std::move(base).take_status();
  if (!base->has_value()) return Status::ok();
  return decimal_result(c, item_decimal(v)->log(**base));
}

Status fn_power(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  auto e = number_arg(c, 0);
  if (!e.is_ok()) return std::move(e).take_status();
  if (!e->has_value()) return Status::ok();
  auto r = item_decimal(v)->power(**e);
  if (!r) return Status::ok();
  bool ints = v.kind == ItemKind::kInteger && c.args[0][0].kind == ItemKind::kInteger;
  if (ints && r->is_integer()) return integer_result(c, *r);
  return decimal_result(c, r);
}

Status fn_round(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  std::int64_t digits = 0;
  if (!c.args.empty()) {
    auto p = arg_integer(c, 0);
    if (!p.is_ok()) return std::move(p).take_status();
    if (!p->has_value()) return Status::ok();
    digits = **p;
    if (digits < 0 || digits > 28) return c.error("round() precision must be 0..28");
  }
  return decimal_result(c, item_decimal(v)->round(static_cast<int>(digits)));
}

constexpr FunctionDef kFunctions[] = {
    {"abs", 0, 0, ArgMode::kValues, fn_abs},     {"ceiling", 0, 0, ArgMode::kValues, fn_ceiling},
    {"exp", 0, 0, ArgMode::kValues, fn_exp},     {"floor", 0, 0, ArgMode::kValues, fn_floor},
    {"ln", 0, 0, ArgMode::kValues, fn_ln},       {"log", 1, 1, ArgMode::kValues, fn_log},
    {"power", 1, 1, ArgMode::kValues, fn_power}, {"round", 0, 1, ArgMode::kValues, fn_round},
    {"sqrt", 0, 0, ArgMode::kValues, fn_sqrt},   {"truncate", 0, 0, ArgMode::kValues, fn_truncate},
};

}  // namespace

std::span<const FunctionDef> math_functions() {
  return kFunctions;
}

}  // namespace hearth::fhir::fhirpath::detail
