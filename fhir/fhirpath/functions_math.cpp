// Math (http://hl7.org/fhirpath/N1/#math): abs, ceiling, exp, floor, ln, log, power, round,
// sqrt, truncate. Exact where the result is exact (Decimal arithmetic), through double for the
// transcendental ones.
#include <cmath>

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

#define HEARTH_NUMBER_INPUT(c, v, q)          \
  auto v##_r = number_input(c, q);            \
  if (!v##_r.is_ok()) return std::move(v##_r).take_status(); \
  if (!v##_r->has_value()) return Status::ok(); \
  const Item& v = **v##_r

Status fn_abs(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, true);
  if (v.kind == ItemKind::kInteger) return push(c, make_integer(v.integer < 0 ? -v.integer : v.integer));
  auto n = negate(v);
  auto d = parse_dec(v.text);
  if (!d) return Status::ok();
  return push(c, d->mantissa < 0 && n ? *n : v);
}

Status to_integer_result(Call& c, const Dec& d) {
  if (d.mantissa > INT64_MAX || d.mantissa < INT64_MIN) return Status::ok();
  return push(c, make_integer(static_cast<std::int64_t>(d.mantissa)));
}

Status fn_ceiling(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  Dec d = *item_dec(v);
  Dec f = dec_floor(d);
  if (dec_cmp(f, d) != 0) f.mantissa += 1;
  return to_integer_result(c, f);
}
Status fn_floor(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return to_integer_result(c, dec_floor(*item_dec(v)));
}
Status fn_truncate(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return to_integer_result(c, dec_trunc(*item_dec(v)));
}

Status double_result(Call& c, double r) {
  auto d = dec_from_double(r);
  if (d) c.out.push_back(make_decimal(*d));
  return Status::ok();
}

Status fn_exp(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  return double_result(c, std::exp(dec_to_double(*item_dec(v))));
}
Status fn_ln(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  double x = dec_to_double(*item_dec(v));
  if (x <= 0) return Status::ok();
  return double_result(c, std::log(x));
}
Status fn_sqrt(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  double x = dec_to_double(*item_dec(v));
  if (x < 0) return Status::ok();
  return double_result(c, std::sqrt(x));
}

Result<std::optional<Dec>> number_arg(const Call& c, std::size_t i) {
  auto a = arg_value(c, i);
  if (!a.is_ok()) return std::move(a).take_status();
  if (!a->has_value()) return std::optional<Dec>();
  auto d = item_dec(**a);
  if (!d) return c.error(std::string(c.node.name) + "() needs a number argument");
  return std::optional<Dec>(*d);
}

Status fn_log(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  auto base = number_arg(c, 0);
  if (!base.is_ok()) return std::move(base).take_status();
  if (!base->has_value()) return Status::ok();
  double x = dec_to_double(*item_dec(v)), b = dec_to_double(**base);
  if (x <= 0 || b <= 0 || b == 1) return Status::ok();
  return double_result(c, std::log(x) / std::log(b));
}

Status fn_power(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  auto e = number_arg(c, 0);
  if (!e.is_ok()) return std::move(e).take_status();
  if (!e->has_value()) return Status::ok();
  double r = std::pow(dec_to_double(*item_dec(v)), dec_to_double(**e));
  if (!std::isfinite(r)) return Status::ok();
  bool ints = v.kind == ItemKind::kInteger && c.args[0][0].kind == ItemKind::kInteger;
  if (ints && r == std::floor(r) && std::fabs(r) < 9e18) {
    return push(c, make_integer(static_cast<std::int64_t>(r)));
  }
  return double_result(c, r);
}

Status fn_round(Call& c) {
  HEARTH_NUMBER_INPUT(c, v, false);
  std::int64_t digits = 0;
  if (!c.args.empty()) {
    auto p = arg_integer(c, 0);
    if (!p.is_ok()) return std::move(p).take_status();
    if (!p->has_value()) return Status::ok();
    digits = **p;
    if (digits < 0 || digits > 20) return c.error("round() precision must be 0..20");
  }
  return push(c, make_decimal(dec_round(*item_dec(v), static_cast<int>(digits))));
}

constexpr FunctionDef kFunctions[] = {
    {"abs", 0, 0, ArgMode::kValues, fn_abs},
    {"ceiling", 0, 0, ArgMode::kValues, fn_ceiling},
    {"exp", 0, 0, ArgMode::kValues, fn_exp},
    {"floor", 0, 0, ArgMode::kValues, fn_floor},
    {"ln", 0, 0, ArgMode::kValues, fn_ln},
    {"log", 1, 1, ArgMode::kValues, fn_log},
    {"power", 1, 1, ArgMode::kValues, fn_power},
    {"round", 0, 1, ArgMode::kValues, fn_round},
    {"sqrt", 0, 0, ArgMode::kValues, fn_sqrt},
    {"truncate", 0, 0, ArgMode::kValues, fn_truncate},
};

}  // namespace

std::span<const FunctionDef> math_functions() { return kFunctions; }

}  // namespace hearth::fhir::fhirpath::detail
