// Utility and type functions: trace, now, today, timeOfDay, iif, aggregate, not, is, as, type,
// precision, lowBoundary, highBoundary, comparable, sort.
#include <algorithm>

#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/operators.h"
#include "fhir/fhirpath/values.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

Status fn_trace(Call& c) {
  Collection projected;
  if (c.node.args.size() > 1) {
    for (std::size_t i = 0; i < c.input.size(); ++i) {
      HEARTH_RETURN_IF_ERROR(c.eval_arg(1, c.input[i], static_cast<std::int64_t>(i), projected));
    }
  }
  Collection name;
  HEARTH_RETURN_IF_ERROR(c.eval_arg(0, name));
  auto n = singleton_value(name, c.ev, c.node);
  if (!n.is_ok()) return std::move(n).take_status();
  if (c.ev.options().trace) {
    std::string label = n->has_value() ? (*n)->text : std::string();
    c.ev.options().trace(label, c.node.args.size() > 1 ? projected : c.input);
  }
  c.out.insert(c.out.end(), c.input.begin(), c.input.end());
  return Status::ok();
}

Status clock(Call& c, ItemKind kind) {
  Temporal t = temporal_from_micros(c.ev.now_micros(), c.ev.options().tz_offset_minutes,
                                    kind == ItemKind::kTime ? ItemKind::kTime : kind);
  return push(c, make_temporal(t));
}
Status fn_now(Call& c) { return clock(c, ItemKind::kDateTime); }
Status fn_today(Call& c) { return clock(c, ItemKind::kDate); }
Status fn_time_of_day(Call& c) { return clock(c, ItemKind::kTime); }

Status fn_iif(Call& c) {
  if (c.input.size() > 1) return c.error("iif() on a collection of several items");
  auto eval = [&](std::size_t i, Collection& out) {
    return c.input.empty() ? c.eval_arg(i, out) : c.eval_arg(i, c.input[0], 0, out);
  };
  Collection cond;
  HEARTH_RETURN_IF_ERROR(eval(0, cond));
  if (cond.size() > 1) return c.error("iif() criterion must be a single boolean");
  std::optional<bool> b;
  if (!cond.empty()) {
    auto v = system_value(cond[0]);
    if (!v || v->kind != ItemKind::kBoolean) return c.error("iif() criterion must be a boolean");
    b = v->boolean;
  }
  if (b == true) return eval(1, c.out);
  if (c.node.args.size() > 2) return eval(2, c.out);
  return Status::ok();
}

Status fn_aggregate(Call& c) {
  Collection total;
  if (c.node.args.size() > 1) HEARTH_RETURN_IF_ERROR(c.eval_arg(1, total));
  for (std::size_t i = 0; i < c.input.size(); ++i) {
    Collection next;
    HEARTH_RETURN_IF_ERROR(c.eval_arg(0, c.input[i], static_cast<std::int64_t>(i), next, &total));
    total = std::move(next);
  }
  c.out.insert(c.out.end(), total.begin(), total.end());
  return Status::ok();
}

Status fn_not(Call& c) {
  auto b = singleton_boolean(c.input, c.ev, c.node);
  if (!b.is_ok()) return std::move(b).take_status();
  if (b->has_value()) {
    auto v = system_value(c.input[0]);
    if (!v || v->kind != ItemKind::kBoolean) return Status::ok();
    return push_bool(c, !**b);
  }
  return Status::ok();
}

Status fn_is(Call& c) {
  if (c.input.empty()) return Status::ok();
  if (c.input.size() > 1) return c.error("is() needs a single item");
  return push_bool(c, is_type(c.input[0], c.node.type));
}
Status fn_as(Call& c) {
  for (const Item& i : c.input) {
    if (is_type(i, c.node.type)) c.out.push_back(i);
  }
  return Status::ok();
}

Status fn_type(Call& c) {
  for (const Item& i : c.input) {
    Item t;
    t.name = kTypeInfoName;
    t.text = item_namespace(i);
    t.unit = item_type_name(i);
    c.out.push_back(std::move(t));
  }
  return Status::ok();
}

int temporal_digits(const Temporal& t) {
  static constexpr int kDate[] = {0, 4, 6, 8, 10, 12, 14, 17};
  static constexpr int kTime[] = {0, 0, 0, 0, 2, 4, 6, 9};
  auto p = static_cast<std::size_t>(t.precision);
  return t.kind == ItemKind::kTime ? kTime[p] : kDate[p];
}

Status fn_precision(Call& c) {
  auto v = input_value(c);
  if (!v.is_ok()) return std::move(v).take_status();
  if (!v->has_value()) return Status::ok();
  const Item& i = **v;
  if (i.kind == ItemKind::kDecimal || i.kind == ItemKind::kQuantity) {
    auto d = parse_dec(i.text);
    if (d) return push(c, make_integer(dec_precision(*d)));
    return Status::ok();
  }
  if (i.kind == ItemKind::kInteger) return push(c, make_integer(0));
  auto t = parse_temporal(i.kind, i.text);
  if (t) return push(c, make_integer(temporal_digits(*t)));
  return Status::ok();
}

// lowBoundary()/highBoundary(): the ends of the range a value of limited precision stands for.
Status boundary(Call& c, bool high) {
  auto v = input_value(c);
  if (!v.is_ok()) return std::move(v).take_status();
  if (!v->has_value()) return Status::ok();
  const Item& i = **v;
  std::optional<std::int64_t> precision;
  if (!c.args.empty()) {
    auto p = arg_integer(c, 0);
    if (!p.is_ok()) return std::move(p).take_status();
    precision = *p;
  }
  if (i.kind == ItemKind::kDecimal || i.kind == ItemKind::kInteger ||
      i.kind == ItemKind::kQuantity) {
    auto d = i.kind == ItemKind::kInteger ? std::optional<Dec>(dec_from_int(i.integer))
                                          : parse_dec(i.text);
    if (!d) return Status::ok();
    int target = static_cast<int>(precision.value_or(8));
    if (target < 0 || target > 28) return Status::ok();
    Dec half{d->mantissa < 0 ? -5 : 5, d->scale + 1};
    Dec r = (high == (d->mantissa >= 0)) ? dec_add(*d, half) : dec_sub(*d, half);
    if (target < r.scale) {
      // Truncate toward the side of the boundary.
      Dec t = r;
      __int128 p = 1;
      for (int k = 0; k < r.scale - target; ++k) p *= 10;
      __int128 q = t.mantissa / p;
      if (high && t.mantissa % p > 0) q += 1;
      if (!high && t.mantissa % p < 0) q -= 1;
      r = Dec{q, target};
    } else {
      while (r.scale < target) {
        r.mantissa *= 10;
        ++r.scale;
      }
    }
    if (i.kind == ItemKind::kQuantity) return push(c, make_quantity(r, i.unit));
    return push(c, make_decimal(r));
  }
  auto t = parse_temporal(i.kind, i.text);
  if (!t) return Status::ok();
  Temporal r = *t;
  if (r.precision < TPrec::kMonth) r.month = high ? 12 : 1;
  if (r.precision < TPrec::kDay) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = kDays[r.month - 1];
    if (r.month == 2 && ((r.year % 4 == 0 && r.year % 100 != 0) || r.year % 400 == 0)) dim = 29;
    r.day = high ? dim : 1;
  }
  if (r.precision < TPrec::kHour) r.hour = high ? 23 : 0;
  if (r.precision < TPrec::kMinute) r.minute = high ? 59 : 0;
  if (r.precision < TPrec::kSecond) r.second = high ? 59 : 0;
  if (r.precision < TPrec::kMillis) r.millis = high ? 999 : 0;
  if (r.kind == ItemKind::kDateTime && !r.has_tz) {
    r.has_tz = true;
    r.tz_minutes = high ? -12 * 60 : 14 * 60;
  }
  r.precision = r.kind == ItemKind::kDate ? TPrec::kDay : TPrec::kMillis;
  std::int64_t want = precision.value_or(-1);
  if (want >= 0) {
    static constexpr std::pair<int, TPrec> kDigits[] = {
        {4, TPrec::kYear}, {6, TPrec::kMonth},   {8, TPrec::kDay},     {10, TPrec::kHour},
        {12, TPrec::kMinute}, {14, TPrec::kSecond}, {17, TPrec::kMillis}};
    bool found = false;
    for (auto [d, p] : kDigits) {
      int dd = r.kind == ItemKind::kTime ? d - 8 : d;
      if (dd == want) {
        r.precision = p;
        found = true;
      }
    }
    if (!found) return Status::ok();
  }
  return push(c, make_temporal(r));
}
Status fn_low_boundary(Call& c) { return boundary(c, false); }
Status fn_high_boundary(Call& c) { return boundary(c, true); }

Status fn_comparable(Call& c) {
  auto a = input_value(c);
  if (!a.is_ok()) return std::move(a).take_status();
  auto b = arg_value(c, 0);
  if (!b.is_ok()) return std::move(b).take_status();
  if (!a->has_value() || !b->has_value()) return Status::ok();
  if ((*a)->kind != ItemKind::kQuantity || (*b)->kind != ItemKind::kQuantity) {
    return c.error("comparable() needs quantities");
  }
  return push_bool(c, quantity_cmp(**a, **b).has_value());
}

// sort([key [desc|asc]...]) is not in N1; the suite's sort() tests are evaluated with keys given
// as plain expressions, a leading unary minus meaning descending.
Status fn_sort(Call& c) {
  struct Keyed {
    Item item;
    std::vector<Collection> keys;
  };
  std::vector<Keyed> rows;
  for (std::size_t i = 0; i < c.input.size(); ++i) {
    Keyed k{c.input[i], {}};
    for (std::size_t a = 0; a < c.node.args.size(); ++a) {
      Collection key;
      HEARTH_RETURN_IF_ERROR(c.eval_arg(a, c.input[i], static_cast<std::int64_t>(i), key));
      k.keys.push_back(std::move(key));
    }
    rows.push_back(std::move(k));
  }
  Status failure;
  auto cmp_items = [&](const Collection& x, const Collection& y) -> int {
    if (x.empty() || y.empty()) return x.empty() == y.empty() ? 0 : (x.empty() ? -1 : 1);
    auto r = items_compare(x[0], y[0]);
    if (!r.is_ok()) {
      failure = r.status();
      return 0;
    }
    return r->value_or(0);
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Keyed& x, const Keyed& y) {
    if (c.node.args.empty()) return cmp_items({x.item}, {y.item}) < 0;
    for (std::size_t a = 0; a < x.keys.size(); ++a) {
      int r = cmp_items(x.keys[a], y.keys[a]);
      if (r != 0) return r < 0;
    }
    return false;
  });
  if (!failure.is_ok()) return c.error(failure.message());
  for (Keyed& k : rows) c.out.push_back(std::move(k.item));
  return Status::ok();
}

constexpr FunctionDef kFunctions[] = {
    {"trace", 1, 2, ArgMode::kLambda, fn_trace},
    {"now", 0, 0, ArgMode::kValues, fn_now},
    {"today", 0, 0, ArgMode::kValues, fn_today},
    {"timeOfDay", 0, 0, ArgMode::kValues, fn_time_of_day},
    {"iif", 2, 3, ArgMode::kLambda, fn_iif},
    {"aggregate", 1, 2, ArgMode::kLambda, fn_aggregate},
    {"not", 0, 0, ArgMode::kValues, fn_not},
    {"is", 1, 1, ArgMode::kType, fn_is},
    {"as", 1, 1, ArgMode::kType, fn_as},
    {"type", 0, 0, ArgMode::kValues, fn_type},
    {"precision", 0, 0, ArgMode::kValues, fn_precision},
    {"lowBoundary", 0, 1, ArgMode::kValues, fn_low_boundary},
    {"highBoundary", 0, 1, ArgMode::kValues, fn_high_boundary},
    {"comparable", 1, 1, ArgMode::kValues, fn_comparable},
    {"sort", 0, 4, ArgMode::kLambda, fn_sort},
};

}  // namespace

std::span<const FunctionDef> utility_functions() { return kFunctions; }

}  // namespace hearth::fhir::fhirpath::detail
