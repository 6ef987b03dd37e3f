// Quantity literals, the built-in UCUM table and unit-aware comparison and arithmetic.
//
// Calendar keywords versus UCUM (FHIRPath N1 section 6.1 "Equality" and "Equivalence", Quantity
// bullets; section 2.1.9.1 "Time-valued quantities"): calendar durations of a month or a year
// are not fixed lengths, so `1 year = 1 'a'` and `1 month = 1 'mo'` are empty (not comparable),
// while `1 year ~ 1 'a'` is true. Week and shorter calendar keywords are exact and compare with
// their UCUM units: `7 days = 1 'wk'` is true (official R4 suite, testQuantity6).
#include "fhir/fhirpath/quantity.h"

#include <array>

namespace hearth::fhir::fhirpath {
namespace {

enum class Dim : std::uint8_t { kNone, kMass, kLength, kVolume, kTime, kCalendar, kAmount,
                                kPressure };

struct UnitDef {
  std::string_view code;
  Dim dim;
  std::string_view factor;  // to the dimension's base unit (g, m, L, s, month, mol, Pa, 1)
};

// Kept small on purpose: the units FHIR data commonly compares. Exact UCUM factors.
constexpr std::array<UnitDef, 49> kUnits = {{
    {"1", Dim::kNone, "1"},
    {"%", Dim::kNone, "0.01"},
    {"g", Dim::kMass, "1"},
    {"kg", Dim::kMass, "1000"},
    {"mg", Dim::kMass, "0.001"},
    {"ug", Dim::kMass, "0.000001"},
    {"ng", Dim::kMass, "0.000000001"},
    {"[lb_av]", Dim::kMass, "453.59237"},
    {"[oz_av]", Dim::kMass, "28.349523125"},
    {"m", Dim::kLength, "1"},
    {"km", Dim::kLength, "1000"},
    {"cm", Dim::kLength, "0.01"},
    {"mm", Dim::kLength, "0.001"},
    {"um", Dim::kLength, "0.000001"},
    {"nm", Dim::kLength, "0.000000001"},
    {"[in_i]", Dim::kLength, "0.0254"},
    {"[ft_i]", Dim::kLength, "0.3048"},
    {"[yd_i]", Dim::kLength, "0.9144"},
    {"[mi_i]", Dim::kLength, "1609.344"},
    {"L", Dim::kVolume, "1"},
    {"l", Dim::kVolume, "1"},
    {"dL", Dim::kVolume, "0.1"},
    {"cL", Dim::kVolume, "0.01"},
    {"mL", Dim::kVolume, "0.001"},
    {"uL", Dim::kVolume, "0.000001"},
    {"ms", Dim::kTime, "0.001"},
    {"s", Dim::kTime, "1"},
    {"min", Dim::kTime, "60"},
    {"h", Dim::kTime, "3600"},
    {"d", Dim::kTime, "86400"},
    {"wk", Dim::kTime, "604800"},
    {"mo", Dim::kTime, "2629800"},   // UCUM mean Julian month: a / 12 = 30.4375 d
    {"a", Dim::kTime, "31557600"},   // UCUM Julian year: 365.25 d
    {"millisecond", Dim::kTime, "0.001"},
    {"second", Dim::kTime, "1"},
    {"minute", Dim::kTime, "60"},
    {"hour", Dim::kTime, "3600"},
    {"day", Dim::kTime, "86400"},
    {"week", Dim::kTime, "604800"},
    {"month", Dim::kCalendar, "1"},
    {"year", Dim::kCalendar, "12"},
    {"mol", Dim::kAmount, "1"},
    {"mmol", Dim::kAmount, "0.001"},
    {"umol", Dim::kAmount, "0.000001"},
    {"nmol", Dim::kAmount, "0.000000001"},
    {"Pa", Dim::kPressure, "1"},
    {"kPa", Dim::kPressure, "1000"},
    {"mm[Hg]", Dim::kPressure, "133.322"},
    {"bar", Dim::kPressure, "100000"},
}};

constexpr std::array<std::string_view, 8> kCalendarSingular = {
    "year", "month", "week", "day", "hour", "minute", "second", "millisecond"};
constexpr std::array<std::string_view, 8> kCalendarUcum = {"a", "mo", "wk", "d",
                                                           "h", "min", "s", "ms"};

// "days" -> "day"; other text unchanged.
std::string_view singular(std::string_view unit) {
  if (unit.size() > 1 && unit.back() == 's') {
    std::string_view stem = unit.substr(0, unit.size() - 1);
    for (auto k : kCalendarSingular) {
      if (stem == k) return k;
    }
  }
  return unit;
}

const UnitDef* find_unit(std::string_view unit) {
  unit = singular(unit);
  for (const auto& u : kUnits) {
    if (u.code == unit) return &u;
  }
  return nullptr;
}

Decimal factor_of(const UnitDef& u) { return *Decimal::parse(u.factor); }

bool is_year_or_month(std::string_view unit) {
  unit = singular(unit);
  return unit == "year" || unit == "month";
}

// The value in the base unit of its dimension; exact (multiplication only).
struct Base {
  Dim dim;
  Decimal value;
};

// `calendar_as_ucum` maps year/month onto 'a'/'mo' (equivalence); otherwise they stay in the
// calendar dimension, comparable only with each other.
std::optional<Base> to_base(const Quantity& q, bool calendar_as_ucum) {
  std::string_view unit = singular(q.unit);
  if (calendar_as_ucum && unit == "year") unit = "a";
  if (calendar_as_ucum && unit == "month") unit = "mo";
  const UnitDef* u = find_unit(unit);
  if (u == nullptr) return std::nullopt;
  auto v = q.value.multiply(factor_of(*u));
  if (!v) return std::nullopt;
  return Base{u->dim, *v};
}

// Both quantities in base units, or empty when they do not share a dimension. Identical unit
// spellings always compare (also units outside the table).
std::optional<std::pair<Decimal, Decimal>> common(const Quantity& a, const Quantity& b,
                                                  bool calendar_as_ucum) {
  if (singular(a.unit) == singular(b.unit)) return std::make_pair(a.value, b.value);
  auto ba = to_base(a, calendar_as_ucum);
  auto bb = to_base(b, calendar_as_ucum);
  if (!ba || !bb || ba->dim != bb->dim) return std::nullopt;
  return std::make_pair(ba->value, bb->value);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::optional<Quantity> parse_quantity_literal(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  while (i < text.size() &&
         ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) {
    ++i;
  }
  auto value = Decimal::parse(text.substr(0, i));
  if (!value) return std::nullopt;
  while (i < text.size() && is_space(text[i])) ++i;
  std::string_view rest = text.substr(i);
  if (rest.empty()) return Quantity{*value, "1"};
  if (rest.front() == '\'') {
    std::string unit;
    size_t j = 1;
    for (; j < rest.size() && rest[j] != '\''; ++j) {
      if (rest[j] == '\\' && j + 1 < rest.size()) ++j;  // FHIRPath string escape
      unit.push_back(rest[j]);
    }
    if (j != rest.size() - 1 || unit.empty()) return std::nullopt;
    return Quantity{*value, std::move(unit)};
  }
  if (!is_calendar_unit(rest)) return std::nullopt;
  return Quantity{*value, std::string(rest)};
}

std::string to_string(const Quantity& q) {
  std::string out = q.value.to_string();
  out.push_back(' ');
  if (is_calendar_unit(q.unit)) {
    out += q.unit;
  } else {
    out.push_back('\'');
    out += q.unit;
    out.push_back('\'');
  }
  return out;
}

bool is_calendar_unit(std::string_view unit) {
  std::string_view s = singular(unit);
  for (auto k : kCalendarSingular) {
    if (s == k) return true;
  }
  return false;
}

std::optional<std::string_view> calendar_unit_of(std::string_view unit) {
  std::string_view s = singular(unit);
  for (size_t i = 0; i < kCalendarSingular.size(); ++i) {
    if (s == kCalendarSingular[i] || unit == kCalendarUcum[i]) return kCalendarSingular[i];
  }
  return std::nullopt;
}

bool units_comparable(std::string_view a, std::string_view b) {
  if (singular(a) == singular(b)) return true;
  const UnitDef* ua = find_unit(a);
  const UnitDef* ub = find_unit(b);
  return ua != nullptr && ub != nullptr && ua->dim == ub->dim;
}

std::optional<Quantity> convert(const Quantity& q, std::string_view unit) {
  if (singular(q.unit) == singular(unit)) return Quantity{q.value, std::string(unit)};
  auto base = to_base(q, /*calendar_as_ucum=*/true);
  std::string_view target = singular(unit);
  if (target == "year") target = "a";
  if (target == "month") target = "mo";
  const UnitDef* u = find_unit(target);
  if (!base || u == nullptr || base->dim != u->dim) return std::nullopt;
  auto v = base->value.divide(factor_of(*u));
  if (!v) return std::nullopt;
  return Quantity{*v, std::string(unit)};
}

std::optional<bool> equals(const Quantity& a, const Quantity& b) {
  auto c = compare(a, b);
  if (!c) return std::nullopt;
  return *c == 0;
}

bool equivalent(const Quantity& a, const Quantity& b) {
  auto pair = common(a, b, /*calendar_as_ucum=*/true);
  return pair && pair->first.equivalent(pair->second);
}

std::optional<int> compare(const Quantity& a, const Quantity& b) {
  // Year/month keywords only meet 'a'/'mo' etc. through `common`'s dimension check, where the
  // calendar dimension differs from time: empty, as the spec requires.
  auto pair = common(a, b, /*calendar_as_ucum=*/false);
  if (!pair) return std::nullopt;
  return pair->first.compare(pair->second);
}

std::optional<Quantity> add(const Quantity& a, const Quantity& b) {
  if (is_year_or_month(a.unit) != is_year_or_month(b.unit)) return std::nullopt;
  auto converted = convert(b, a.unit);
  if (!converted) return std::nullopt;
  auto v = a.value.add(converted->value);
  if (!v) return std::nullopt;
  return Quantity{*v, a.unit};
}

std::optional<Quantity> subtract(const Quantity& a, const Quantity& b) {
  return add(a, Quantity{b.value.negate(), b.unit});
}

std::optional<Quantity> multiply(const Quantity& a, const Quantity& b) {
  auto v = a.value.multiply(b.value);
  if (!v) return std::nullopt;
  if (a.unit == "1") return Quantity{*v, b.unit};
  if (b.unit == "1") return Quantity{*v, a.unit};
  return Quantity{*v, a.unit + "." + b.unit};
}

std::optional<Quantity> divide(const Quantity& a, const Quantity& b) {
  auto v = a.value.divide(b.value);
  if (!v) return std::nullopt;
  if (b.unit == "1") return Quantity{*v, a.unit};
  if (singular(a.unit) == singular(b.unit)) return Quantity{*v, "1"};
  if (a.unit == "1") return Quantity{*v, "/" + b.unit};
  return Quantity{*v, a.unit + "/" + b.unit};
}

}  // namespace hearth::fhir::fhirpath
