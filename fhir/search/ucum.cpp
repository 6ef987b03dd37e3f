#include "fhir/search/ucum.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "fhir/search/ucum_tables.h"

namespace hearth::fhir::search {
namespace {

using detail::UcumUnit;

// The exponents of a product of units: the 7 base dimensions, then mol, then eq.
struct Dimension {
  double factor = 1;
  std::array<int, 9> exps{};
};

const UcumUnit* find_unit(std::string_view code) {
  std::span<const UcumUnit> units = detail::ucum_units();
  auto it = std::lower_bound(units.begin(), units.end(), code,
                             [](const UcumUnit& u, std::string_view c) { return u.code < c; });
  return it != units.end() && it->code == code ? &*it : nullptr;
}

// A unit symbol: a unit of the table, or a prefix and a metric unit. Sets its magnitude.
const UcumUnit* find_symbol(std::string_view symbol, double& magnitude) {
  if (const UcumUnit* u = find_unit(symbol)) {
    magnitude = u->magnitude;
    return u;
  }
  for (const detail::UcumPrefix& p : detail::ucum_prefixes()) {
    if (symbol.size() <= p.code.size() || !symbol.starts_with(p.code)) continue;
    const UcumUnit* u = find_unit(symbol.substr(p.code.size()));
    if (u != nullptr && u->metric) {
      magnitude = u->magnitude * p.value;
      return u;
    }
  }
  return nullptr;
}

bool parse_int(std::string_view text, int& out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Multiplies `d` by one term raised to `sign` (1 or -1). False when it does not convert.
bool apply_term(std::string_view term, int sign, Dimension& d) {
  if (term.empty()) return false;
  // 10*n, 10^n: a power of ten.
  if (term.starts_with("10*") || term.starts_with("10^")) {
    int n = 0;
    if (!parse_int(term.substr(3), n) || n < -24 || n > 24) return false;
    d.factor *= std::pow(10.0, sign * n);
    return true;
  }
  if (all_digits(term)) {  // an integer factor ("1", "100")
    if (term.size() > 9) return false;
    int n = 0;
    if (!parse_int(term, n) || n == 0) return false;
    d.factor *= sign > 0 ? n : 1.0 / n;
    return true;
  }
  // A symbol, then an optional signed exponent: "m2", "s-1"; the whole term first ("m" alone).
  double magnitude = 0;
  int exponent = 1;
  const UcumUnit* u = find_symbol(term, magnitude);
  if (u == nullptr) {
    std::size_t cut = term.size();
    while (cut > 0 && term[cut - 1] >= '0' && term[cut - 1] <= '9') --cut;
    if (cut > 0 && cut < term.size() && (term[cut - 1] == '-' || term[cut - 1] == '+')) --cut;
    if (cut == 0 || cut == term.size() || !parse_int(term.substr(cut), exponent) || exponent == 0 ||
        exponent < -9 || exponent > 9) {
      return false;
    }
    u = find_symbol(term.substr(0, cut), magnitude);
    if (u == nullptr) return false;
  }
  const int e = sign * exponent;
  d.factor *= std::pow(magnitude, e);
  for (std::size_t i = 0; i < 7; ++i) d.exps[i] += e * u->dims[i];
  d.exps[7] += e * u->mole;
  d.exps[8] += e * u->equivalent;
  return true;
}

std::string canonical_unit(const Dimension& d) {
  std::string out;
  auto add = [&](std::string_view symbol, int exp) {
    if (exp == 0) return;
    if (!out.empty()) out.push_back('.');
    out += symbol;
    if (exp != 1) out += std::to_string(exp);
  };
  for (std::size_t i = 0; i < 7; ++i) add(detail::ucum_base_units()[i], d.exps[i]);
  add("mol", d.exps[7]);
  add("eq", d.exps[8]);
  return out.empty() ? "1" : out;
}

}  // namespace

std::optional<UcumCanonical> ucum_canonical(std::string_view code) {
  if (code.empty() || code.size() > kMaxUcumCode) return std::nullopt;
  // Annotations carry no dimension: "{cells}/uL" is /uL, "{score}" alone is 1.
  std::string plain;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '{') {
      const std::size_t end = code.find('}', i);
      if (end == std::string_view::npos) return std::nullopt;
      i = end;
      continue;
    }
    if (code[i] == '(' || code[i] == ')' || code[i] == ' ') return std::nullopt;
    plain.push_back(code[i]);
  }
  if (plain.empty()) plain = "1";
  Dimension d;
  // The whole code as one unit first (the table holds LOINC's combinations, "mg/dL").
  double magnitude = 0;
  if (const UcumUnit* u = find_symbol(plain, magnitude)) {
    d.factor = magnitude;
    for (std::size_t i = 0; i < 7; ++i) d.exps[i] = u->dims[i];
    d.exps[7] = u->mole;
    d.exps[8] = u->equivalent;
  } else {
    // Terms joined by '.' (times) and '/' (divided by the next term only), "/min" = 1/min.
    std::size_t terms = 0;
    int sign = 1;
    std::size_t start = 0;
    if (plain.front() == '/') {
      sign = -1;
      start = 1;
    }
    for (;;) {
      const std::size_t end = plain.find_first_of("./", start);
      const std::string_view term =
          std::string_view(plain).substr(start, end == std::string::npos ? end : end - start);
      if (++terms > kMaxUcumTerms || !apply_term(term, sign, d)) return std::nullopt;
      if (end == std::string::npos) break;
      sign = plain[end] == '/' ? -1 : 1;
      start = end + 1;
    }
  }
  if (!(d.factor > 0) || !std::isfinite(d.factor)) return std::nullopt;
  return UcumCanonical{.factor = d.factor, .unit = canonical_unit(d)};
}

}  // namespace hearth::fhir::search
