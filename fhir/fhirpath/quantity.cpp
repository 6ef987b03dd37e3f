// Quantity literals, the built-in UCUM table and unit-aware comparison and arithmetic.
//
// Calendar keywords versus UCUM (FHIRPath N1 section 6.1.1 "=" Quantity Equality and 6.1.3
// "~" Quantity Equivalence): "calendar durations and definite quantity durations above days
// (and weeks) are considered un-comparable", so `1 year = 1 'a'` and `1 month = 1 'mo'` are
// empty, and calendar conversions must be explicit (`1 year = 12 months` is empty too); but
// "calendar durations and definite quantity durations are considered equivalent", so
// `1 year ~ 1 'a'` is true. Week and shorter keywords compare with their UCUM units:
// `7 days = 1 'wk'` is true (official R4 suite, testQuantity6).
#include "fhir/fhirpath/quantity.h"

#include <array>

namespace hearth::fhir::fhirpath {
namespace {

// Base dimensions of the table; volume is length^3 (UCUM: L = dm3). The calendar month and
// year are a dimension each: they have no fixed length in seconds, and converting between them
// must be explicit (spec example: 1 year = 12 months is empty).
enum Dim : std::uint8_t {
  kMass,
  kLength,
  kTime,
  kCalendarMonth,
  kCalendarYear,
  kAmount,
  kPressure,
  kDimCount
};
using Dims = std::array<std::int8_t, kDimCount>;

struct UnitDef {
  std::string_view code;
  Dim dim;
  std::int8_t power;        // of `dim` (3 for volumes); 0 for dimensionless
  std::string_view factor;  // to the base unit (g, m, s, month, mol, Pa; m3 for volumes)
};

// Kept small on purpose: the units FHIR data commonly compares, with exact UCUM factors.
// Calendar keywords week and shorter sit with the UCUM time units; year and month do not.
constexpr std::array<UnitDef, 52> kUnits = {{
    {"1", kMass, 0, "1"},
    {"%", kMass, 0, "0.01"},
    {"g", kMass, 1, "1"},
    {"kg", kMass, 1, "1000"},
    {"mg", kMass, 1, "0.001"},
    {"ug", kMass, 1, "0.000001"},
    {"ng", kMass, 1, "0.000000001"},
    {"[lb_av]", kMass, 1, "453.59237"},
    {"[oz_av]", kMass, 1, "28.349523125"},
    {"m", kLength, 1, "1"},
    {"km", kLength, 1, "1000"},
    {"dm", kLength, 1, "0.1"},
    {"cm", kLength, 1, "0.01"},
    {"mm", kLength, 1, "0.001"},
    {"um", kLength, 1, "0.000001"},
    {"nm", kLength, 1, "0.000000001"},
    {"[in_i]", kLength, 1, "0.0254"},
    {"[ft_i]", kLength, 1, "0.3048"},
    {"[yd_i]", kLength, 1, "0.9144"},
    {"[mi_i]", kLength, 1, "1609.344"},
    {"L", kLength, 3, "0.001"},
    {"l", kLength, 3, "0.001"},
    {"dL", kLength, 3, "0.0001"},
    {"cL", kLength, 3, "0.00001"},
    {"mL", kLength, 3, "0.000001"},
    {"uL", kLength, 3, "0.000000001"},
    {"ms", kTime, 1, "0.001"},
    {"s", kTime, 1, "1"},
    {"min", kTime, 1, "60"},
    {"h", kTime, 1, "3600"},
    {"d", kTime, 1, "86400"},
    {"wk", kTime, 1, "604800"},
    {"mo", kTime, 1, "2629800"},  // UCUM mean Julian month: a / 12 = 30.4375 d
    {"a", kTime, 1, "31557600"},  // UCUM Julian year: 365.25 d
    {"millisecond", kTime, 1, "0.001"},
    {"second", kTime, 1, "1"},
    {"minute", kTime, 1, "60"},
    {"hour", kTime, 1, "3600"},
    {"day", kTime, 1, "86400"},
    {"week", kTime, 1, "604800"},
    {"month", kCalendarMonth, 1, "1"},
    {"year", kCalendarYear, 1, "1"},
    {"mol", kAmount, 1, "1"},
    {"mmol", kAmount, 1, "0.001"},
    {"umol", kAmount, 1, "0.000001"},
    {"nmol", kAmount, 1, "0.000000001"},
    {"eq", kAmount, 1, "1"},  // treated as mol: comparable only within eq/meq
    {"meq", kAmount, 1, "0.001"},
    {"Pa", kPressure, 1, "1"},
    {"kPa", kPressure, 1, "1000"},
    {"mm[Hg]", kPressure, 1, "133.322"},
    {"bar", kPressure, 1, "100000"},
}};

constexpr std::array<std::string_view, 8> kCalendarSingular = {
    "year", "month", "week", "day", "hour", "minute", "second", "millisecond"};
constexpr std::array<std::string_view, 8> kCalendarUcum = {"a", "mo",  "wk", "d",
                                                           "h", "min", "s",  "ms"};

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

const UnitDef* find_unit(std::string_view code) {
  for (const auto& u : kUnits) {
    if (u.code == code) return &u;
  }
  return nullptr;
}

// A unit reduced to a factor on the base units (kept as a fraction num/den so that '/min'
// stays exact) and the powers of each dimension.
struct Canonical {
  Decimal num = Decimal::from_int64(1);
  Decimal den = Decimal::from_int64(1);
  Dims dims{};
};

// Multiplies `into` by `c` raised to `exp` (negative: divides). Empty on overflow.
bool combine(Canonical& into, const Canonical& c, int exp) {
  for (int i = 0; i < (exp < 0 ? -exp : exp); ++i) {
    auto n = into.num.multiply(exp > 0 ? c.num : c.den);
    auto d = into.den.multiply(exp > 0 ? c.den : c.num);
    if (!n || !d) return false;
    into.num = *n;
    into.den = *d;
  }
  for (int d = 0; d < kDimCount; ++d) {
    into.dims[d] = static_cast<std::int8_t>(into.dims[d] + c.dims[d] * exp);
  }
  return true;
}

// Recursive descent over the UCUM term syntax subset: components joined by '.' and '/'
// (left-associative), parentheses, integer exponents ("m2", "s-1"), annotations ("{rbc}").
class UnitParser {
 public:
  explicit UnitParser(std::string_view s) : s_(s) {}

  std::optional<Canonical> parse() {
    Canonical c;
    if (!term(c) || i_ != s_.size()) return std::nullopt;
    return c;
  }

 private:
  bool term(Canonical& c) {
    int sign = 1;
    if (i_ < s_.size() && s_[i_] == '/') {  // "/min" = 1/min
      sign = -1;
      ++i_;
    }
    for (;;) {
      Canonical part;
      if (!component(part) || !combine(c, part, sign)) return false;
      if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == '/')) {
        sign = s_[i_++] == '.' ? 1 : -1;
        continue;
      }
      return true;
    }
  }

  bool component(Canonical& c) {
    if (i_ < s_.size() && s_[i_] == '(') {
      ++i_;
      Canonical inner;
      if (!term(inner) || i_ >= s_.size() || s_[i_] != ')') return false;
      ++i_;
      return combine(c, inner, exponent());
    }
    size_t start = i_;
    int depth = 0;
    while (i_ < s_.size()) {
      char ch = s_[i_];
      if (ch == '[') ++depth;
      if (ch == ']') --depth;
      if (depth == 0 && (ch == '.' || ch == '/' || ch == '(' || ch == ')' || ch == '{')) break;
      ++i_;
    }
    std::string_view atom = s_.substr(start, i_ - start);
    if (i_ < s_.size() && s_[i_] == '{') {  // annotations carry no dimension
      size_t close = s_.find('}', i_);
      if (close == std::string_view::npos) return false;
      i_ = close + 1;
      if (atom.empty()) return true;
    }
    // A trailing signed integer is the exponent (no table code ends in a digit).
    size_t e = atom.size();
    while (e > 0 && atom[e - 1] >= '0' && atom[e - 1] <= '9') --e;
    int exp = 1;
    if (e < atom.size()) {
      size_t digits_start = e;
      if (e > 0 && (atom[e - 1] == '-' || atom[e - 1] == '+')) --e;
      exp = 0;
      for (size_t k = digits_start; k < atom.size() && exp < 100; ++k)
        exp = exp * 10 + (atom[k] - '0');
      if (e < digits_start && atom[e] == '-') exp = -exp;
      if (e == 0) {  // a bare number: only "1" (unity) is supported
        return atom == "1";
      }
      atom = atom.substr(0, e);
    }
    const UnitDef* u = find_unit(atom);
    if (u == nullptr || exp == 0 || exp > 9 || exp < -9) return false;
    Canonical base;
    base.num = *Decimal::parse(u->factor);
    if (u->power != 0) base.dims[u->dim] = u->power;
    return combine(c, base, exp);
  }

  int exponent() {
    size_t start = i_;
    if (i_ < s_.size() && (s_[i_] == '-' || s_[i_] == '+')) ++i_;
    int v = 0;
    size_t digits = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9' && v < 100)
      v = v * 10 + (s_[i_++] - '0');
    if (i_ == digits) {
      i_ = start;
      return 1;
    }
    return s_[start] == '-' ? -v : v;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// `calendar_as_ucum` maps year/month onto 'a'/'mo' (equivalence and conversion); otherwise
// they stay in the calendar dimension, comparable only with each other.
std::optional<Canonical> canonical(std::string_view unit, bool calendar_as_ucum) {
  std::string_view s = singular(unit);
  if (calendar_as_ucum && s == "year") s = "a";
  if (calendar_as_ucum && s == "month") s = "mo";
  if (is_calendar_unit(s) || s == "1") {  // whole-unit keywords, not term components
    const UnitDef* u = find_unit(s);
    Canonical c;
    c.num = *Decimal::parse(u->factor);
    if (u->power != 0) c.dims[u->dim] = u->power;
    return c;
  }
  return UnitParser(s).parse();
}

// Both values on the common base units, or empty when the dimensions differ or a unit is
// unknown. Identical spellings always compare, also units outside the table.
std::optional<std::pair<Decimal, Decimal>> common(const Quantity& a, const Quantity& b,
                                                  bool calendar_as_ucum) {
  if (singular(a.unit) == singular(b.unit)) return std::make_pair(a.value, b.value);
  auto ca = canonical(a.unit, calendar_as_ucum);
  auto cb = canonical(b.unit, calendar_as_ucum);
  if (!ca || !cb || ca->dims != cb->dims) return std::nullopt;
  // a.value * na / da against b.value * nb / db, cross-multiplied to stay exact.
  auto va = a.value.multiply(ca->num);
  auto vb = b.value.multiply(cb->num);
  if (!va || !vb) return std::nullopt;
  va = va->multiply(cb->den);
  vb = vb->multiply(ca->den);
  if (!va || !vb) return std::nullopt;
  return std::make_pair(*va, *vb);
}

// The UCUM spelling of a calendar keyword for unit algebra (day -> d); others unchanged.
std::string_view algebra_unit(std::string_view unit) {
  std::string_view s = singular(unit);
  for (size_t i = 0; i < kCalendarSingular.size(); ++i) {
    if (s == kCalendarSingular[i]) return kCalendarUcum[i];
  }
  return unit;
}

// A term safe to place after '/' in a product: parenthesised when it has operators.
std::string grouped(std::string_view unit) {
  if (unit.find_first_of("./") == std::string_view::npos) return std::string(unit);
  return "(" + std::string(unit) + ")";
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::optional<Quantity> parse_quantity_literal(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) {
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
  auto ca = canonical(a, /*calendar_as_ucum=*/false);
  auto cb = canonical(b, /*calendar_as_ucum=*/false);
  return ca && cb && ca->dims == cb->dims;
}

std::optional<Quantity> convert(const Quantity& q, std::string_view unit) {
  if (singular(q.unit) == singular(unit)) return Quantity{q.value, std::string(unit)};
  auto from = canonical(q.unit, /*calendar_as_ucum=*/true);
  auto to = canonical(unit, /*calendar_as_ucum=*/true);
  if (!from || !to || from->dims != to->dims) return std::nullopt;
  auto top = q.value.multiply(from->num);
  if (top) top = top->multiply(to->den);
  auto bottom = from->den.multiply(to->num);
  if (!top || !bottom) return std::nullopt;
  auto v = top->divide(*bottom);
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
  if (!units_comparable(a.unit, b.unit)) return std::nullopt;  // 1 year + 1 month too
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
  std::string_view ua = algebra_unit(a.unit);
  std::string_view ub = algebra_unit(b.unit);
  if (ua == ub && ua.find_first_of("./()") == std::string_view::npos && find_unit(ua)) {
    return Quantity{*v, std::string(ua) + "2"};  // m.m -> m2
  }
  // UCUM '.' and '/' associate left, so "a.b" is right for any a; b may need parentheses.
  return Quantity{*v, std::string(ua) + "." + grouped(ub)};
}

std::optional<Quantity> divide(const Quantity& a, const Quantity& b) {
  auto v = a.value.divide(b.value);
  if (!v) return std::nullopt;
  if (b.unit == "1") return Quantity{*v, a.unit};
  if (singular(a.unit) == singular(b.unit)) return Quantity{*v, "1"};
  std::string_view ub = algebra_unit(b.unit);
  if (a.unit == "1") return Quantity{*v, "/" + grouped(ub)};
  return Quantity{*v, std::string(algebra_unit(a.unit)) + "/" + grouped(ub)};
}

}  // namespace hearth::fhir::fhirpath
