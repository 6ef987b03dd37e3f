// Exact decimal arithmetic, partial-precision temporal values and UCUM-comparable quantities;
// see values.h. Kept self-contained so the evaluator never goes through double for decimals.
#include "fhir/fhirpath/values.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace hearth::fhir::fhirpath::detail {
namespace {

constexpr int kMaxScale = 28;

__int128 pow10(int n) {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Divides rounding half away from zero.
__int128 div_round(__int128 n, __int128 d) {
  __int128 q = n / d;
  __int128 r = n % d;
  if (r < 0) r = -r;
  __int128 ad = d < 0 ? -d : d;
  if (2 * r >= ad) q += ((n < 0) != (d < 0)) ? -1 : 1;
  return q;
}

Dec limit_scale(Dec d) {
  if (d.scale > kMaxScale) {
    d.mantissa = div_round(d.mantissa, pow10(d.scale - kMaxScale));
    d.scale = kMaxScale;
  }
  return d;
}

void align(Dec& a, Dec& b) {
  if (a.scale < b.scale) {
    a.mantissa *= pow10(b.scale - a.scale);
    a.scale = b.scale;
  } else if (b.scale < a.scale) {
    b.mantissa *= pow10(a.scale - b.scale);
    b.scale = a.scale;
  }
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2));
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

std::int64_t to_millis(const Temporal& t) {
  std::int64_t days = t.kind == ItemKind::kTime
                          ? 0
                          : days_from_civil(t.year, static_cast<unsigned>(t.month),
                                            static_cast<unsigned>(t.day));
  return ((days * 24 + t.hour) * 60 + t.minute) * 60000 + t.second * 1000 + t.millis;
}

void from_millis(Temporal& t, std::int64_t ms) {
  std::int64_t day_ms = 86400000;
  std::int64_t days = ms >= 0 ? ms / day_ms : -((-ms + day_ms - 1) / day_ms);
  std::int64_t rest = ms - days * day_ms;
  if (t.kind != ItemKind::kTime) civil_from_days(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(rest / 3600000);
  t.minute = static_cast<int>(rest / 60000 % 60);
  t.second = static_cast<int>(rest / 1000 % 60);
  t.millis = static_cast<int>(rest % 1000);
}

bool read_int(std::string_view s, std::size_t& i, int digits, int& out) {
  if (i + static_cast<std::size_t>(digits) > s.size()) return false;
  int v = 0;
  for (int k = 0; k < digits; ++k) {
    char c = s[i++];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// hh[:mm[:ss[.fff]]] starting at i; sets precision.
bool parse_time_part(std::string_view s, std::size_t& i, Temporal& t) {
  if (!read_int(s, i, 2, t.hour) || t.hour > 23) return false;
  t.precision = TPrec::kHour;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!read_int(s, i, 2, t.minute) || t.minute > 59) return false;
    t.precision = TPrec::kMinute;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_int(s, i, 2, t.second) || t.second > 59) return false;
      t.precision = TPrec::kSecond;
      if (i < s.size() && s[i] == '.') {
        ++i;
        int ms = 0, n = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          if (n < 3) ms = ms * 10 + (s[i] - '0');
          ++n;
          ++i;
        }
        if (n == 0) return false;
        for (int k = n; k < 3; ++k) ms *= 10;
        t.millis = ms;
        t.precision = TPrec::kMillis;
      }
    }
  }
  return true;
}

struct UnitDef {
  std::string_view code;
  char dimension;
  std::string_view factor;
};
constexpr UnitDef kUnits[] = {
    {"g", 'M', "1"},          {"kg", 'M', "1000"},        {"mg", 'M', "0.001"},
    {"ug", 'M', "0.000001"},  {"ng", 'M', "0.000000001"}, {"[lb_av]", 'M', "453.59237"},
    {"m", 'L', "1"},          {"cm", 'L', "0.01"},        {"mm", 'L', "0.001"},
    {"km", 'L', "1000"},      {"um", 'L', "0.000001"},    {"[in_i]", 'L', "0.0254"},
    {"[ft_i]", 'L', "0.3048"}, {"s", 'T', "1"},           {"ms", 'T', "0.001"},
    {"min", 'T', "60"},       {"h", 'T', "3600"},         {"d", 'T', "86400"},
    {"wk", 'T', "604800"},    {"L", 'V', "1"},            {"l", 'V', "1"},
    {"mL", 'V', "0.001"},     {"ml", 'V', "0.001"},       {"dL", 'V', "0.1"},
    {"1", '1', "1"},          {"%", '1', "0.01"},
};

const UnitDef* find_unit(std::string_view code) {
  for (const UnitDef& u : kUnits) {
    if (u.code == code) return &u;
  }
  return nullptr;
}

}  // namespace

// --- Decimal ---------------------------------------------------------------------------------

std::optional<Dec> parse_dec(std::string_view s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  Dec d;
  int digits = 0;
  bool any = false;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (digits < 36) {
      d.mantissa = d.mantissa * 10 + (s[i] - '0');
      if (d.mantissa != 0) ++digits;
    } else {
      return std::nullopt;
    }
    any = true;
    ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    bool frac = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits >= 36) return std::nullopt;
      d.mantissa = d.mantissa * 10 + (s[i] - '0');
      if (d.mantissa != 0) ++digits;
      ++d.scale;
      ++i;
      frac = true;
    }
    if (!frac) return std::nullopt;
  }
  if (!any && d.scale == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    int e = 0;
    bool edigits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      e = e * 10 + (s[i++] - '0');
      edigits = true;
      if (e > 60) return std::nullopt;
    }
    if (!edigits) return std::nullopt;
    d.scale += eneg ? e : -e;
    if (d.scale < 0) {
      if (digits - d.scale > 36) return std::nullopt;
      d.mantissa *= pow10(-d.scale);
      d.scale = 0;
    }
    d = limit_scale(d);
  }
  if (i != s.size()) return std::nullopt;
  if (neg) d.mantissa = -d.mantissa;
  return d;
}

std::string format_dec(const Dec& d) {
  __int128 m = d.mantissa < 0 ? -d.mantissa : d.mantissa;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  } while (m != 0);
  while (static_cast<int>(digits.size()) <= d.scale) digits.insert(digits.begin(), '0');
  if (d.scale > 0) digits.insert(digits.size() - static_cast<std::size_t>(d.scale), ".");
  if (d.mantissa < 0) digits.insert(digits.begin(), '-');
  return digits;
}

Dec dec_from_int(std::int64_t v) { return Dec{v, 0}; }

int dec_cmp(const Dec& a, const Dec& b) {
  Dec x = a, y = b;
  align(x, y);
  return x.mantissa < y.mantissa ? -1 : x.mantissa > y.mantissa ? 1 : 0;
}

Dec dec_add(const Dec& a, const Dec& b) {
  Dec x = a, y = b;
  align(x, y);
  return Dec{x.mantissa + y.mantissa, x.scale};
}

Dec dec_sub(const Dec& a, const Dec& b) {
  Dec x = a, y = b;
  align(x, y);
  return Dec{x.mantissa - y.mantissa, x.scale};
}

Dec dec_mul(const Dec& a, const Dec& b) {
  Dec x = dec_normalised(a), y = dec_normalised(b);
  return limit_scale(Dec{x.mantissa * y.mantissa, x.scale + y.scale});
}

std::optional<Dec> dec_div(const Dec& a, const Dec& b) {
  if (b.mantissa == 0) return std::nullopt;
  Dec x = dec_normalised(a), y = dec_normalised(b);
  constexpr int kDigits = 8;
  int shift = kDigits + y.scale - x.scale;
  __int128 n = x.mantissa;
  __int128 dnm = y.mantissa;
  if (shift >= 0) {
    n *= pow10(shift);
  } else {
    dnm *= pow10(-shift);
  }
  return dec_normalised(Dec{div_round(n, dnm), kDigits});
}

double dec_to_double(const Dec& d) { return std::strtod(format_dec(d).c_str(), nullptr); }

std::optional<Dec> dec_from_double(double v) {
  if (!std::isfinite(v) || std::fabs(v) > 1e30) return std::nullopt;
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%.15g", v);
  auto d = parse_dec(buf.data());
  if (!d) return std::nullopt;
  return dec_normalised(*d);
}

Dec dec_round(const Dec& d, int digits) {
  if (d.scale <= digits) return d;
  return Dec{div_round(d.mantissa, pow10(d.scale - digits)), digits};
}

Dec dec_trunc(const Dec& d) { return Dec{d.mantissa / pow10(d.scale), 0}; }

Dec dec_floor(const Dec& d) {
  Dec t = dec_trunc(d);
  if (d.mantissa < 0 && dec_cmp(t, d) != 0) t.mantissa -= 1;
  return t;
}

Dec dec_normalised(const Dec& d) {
  Dec r = d;
  while (r.scale > 0 && r.mantissa % 10 == 0) {
    r.mantissa /= 10;
    --r.scale;
  }
  return r;
}

int dec_precision(const Dec& d) { return d.scale; }

std::optional<Dec> item_dec(const Item& item) {
  if (item.kind == ItemKind::kInteger) return dec_from_int(item.integer);
  if (item.kind == ItemKind::kDecimal) return parse_dec(item.text);
  return std::nullopt;
}

Item make_decimal(const Dec& d) {
  Item i;
  i.kind = ItemKind::kDecimal;
  i.text = format_dec(d);
  return i;
}

// --- Temporal ----------------------------------------------------------------------------------

std::optional<Temporal> parse_temporal(ItemKind kind, std::string_view s) {
  Temporal t;
  t.kind = kind;
  std::size_t i = 0;
  if (kind == ItemKind::kTime) {
    if (!s.empty() && s[0] == 'T') ++i;
    if (!parse_time_part(s, i, t) || i != s.size()) return std::nullopt;
    return t;
  }
  if (!read_int(s, i, 4, t.year)) return std::nullopt;
  t.precision = TPrec::kYear;
  if (i < s.size() && s[i] == '-') {
    ++i;
    if (!read_int(s, i, 2, t.month) || t.month < 1 || t.month > 12) return std::nullopt;
    t.precision = TPrec::kMonth;
    if (i < s.size() && s[i] == '-') {
      ++i;
      if (!read_int(s, i, 2, t.day) || t.day < 1 || t.day > days_in_month(t.year, t.month)) {
        return std::nullopt;
      }
      t.precision = TPrec::kDay;
    }
  }
  if (kind == ItemKind::kDate) return i == s.size() ? std::optional<Temporal>(t) : std::nullopt;
  if (i < s.size() && s[i] == 'T') {
    ++i;
    if (i < s.size() && s[i] != 'Z' && s[i] != '+' && s[i] != '-') {
      if (t.precision != TPrec::kDay || !parse_time_part(s, i, t)) return std::nullopt;
    }
  }
  if (i < s.size()) {
    if (t.precision < TPrec::kHour) return std::nullopt;  // a zone needs a time
    if (s[i] == 'Z') {
      ++i;
      t.has_tz = true;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i++] == '-' ? -1 : 1;
      int h = 0, m = 0;
      if (!read_int(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !read_int(s, i, 2, m)) {
        return std::nullopt;
      }
      if (h > 14 || m > 59) return std::nullopt;
      t.has_tz = true;
      t.tz_minutes = sign * (h * 60 + m);
    }
  }
  if (i != s.size()) return std::nullopt;
  return t;
}

std::string format_temporal(const Temporal& t) {
  std::array<char, 64> buf{};
  std::string out;
  if (t.kind != ItemKind::kTime) {
    std::snprintf(buf.data(), buf.size(), "%04d", t.year);
    out += buf.data();
    if (t.precision >= TPrec::kMonth) {
      std::snprintf(buf.data(), buf.size(), "-%02d", t.month);
      out += buf.data();
    }
    if (t.precision >= TPrec::kDay) {
      std::snprintf(buf.data(), buf.size(), "-%02d", t.day);
      out += buf.data();
    }
    if (t.kind == ItemKind::kDate || t.precision < TPrec::kHour) return out;
    out += 'T';
  }
  std::snprintf(buf.data(), buf.size(), "%02d", t.hour);
  out += buf.data();
  if (t.precision >= TPrec::kMinute) {
    std::snprintf(buf.data(), buf.size(), ":%02d", t.minute);
    out += buf.data();
  }
  if (t.precision >= TPrec::kSecond) {
    std::snprintf(buf.data(), buf.size(), ":%02d", t.second);
    out += buf.data();
  }
  if (t.precision >= TPrec::kMillis) {
    std::snprintf(buf.data(), buf.size(), ".%03d", t.millis);
    out += buf.data();
  }
  if (t.kind == ItemKind::kDateTime && t.has_tz) {
    if (t.tz_minutes == 0) {
      out += 'Z';
    } else {
      int m = t.tz_minutes < 0 ? -t.tz_minutes : t.tz_minutes;
      std::snprintf(buf.data(), buf.size(), "%c%02d:%02d", t.tz_minutes < 0 ? '-' : '+', m / 60,
                    m % 60);
      out += buf.data();
    }
  }
  return out;
}

std::optional<int> temporal_cmp(const Temporal& a, const Temporal& b) {
  Temporal x = a, y = b;
  // Compare in UTC when both carry a zone; a value without one is taken at face value.
  if (x.has_tz && y.has_tz && x.precision >= TPrec::kHour && y.precision >= TPrec::kHour) {
    from_millis(x, to_millis(x) - static_cast<std::int64_t>(x.tz_minutes) * 60000);
    from_millis(y, to_millis(y) - static_cast<std::int64_t>(y.tz_minutes) * 60000);
  }
  std::array<int, 6> fx = {x.year, x.month, x.day, x.hour, x.minute, x.second * 1000 + x.millis};
  std::array<int, 6> fy = {y.year, y.month, y.day, y.hour, y.minute, y.second * 1000 + y.millis};
  // Seconds and milliseconds are one precision (a decimal number of seconds).
  int px = std::min(static_cast<int>(x.precision), 6);
  int py = std::min(static_cast<int>(y.precision), 6);
  int first = x.kind == ItemKind::kTime ? 3 : 0;
  int common = std::min(px, py);
  for (int i = first; i < common; ++i) {
    auto k = static_cast<std::size_t>(i);
    if (fx[k] != fy[k]) return fx[k] < fy[k] ? -1 : 1;
  }
  if (px != py) return std::nullopt;
  return 0;
}

std::optional<Temporal> temporal_add(const Temporal& a, const Dec& amount, std::string_view unit) {
  std::string u = canonical_unit(unit);
  Temporal t = a;
  Dec whole = dec_trunc(amount);
  auto n = static_cast<std::int64_t>(whole.mantissa);
  bool is_time = t.kind == ItemKind::kTime;
  if (u == "year" || u == "a" || u == "month" || u == "mo") {
    if (is_time) return std::nullopt;
    std::int64_t months = (u == "year" || u == "a") ? n * 12 : n;
    if (t.precision == TPrec::kYear) months = months / 12 * 12;
    std::int64_t total = static_cast<std::int64_t>(t.year) * 12 + (t.month - 1) + months;
    t.year = static_cast<int>(total / 12);
    t.month = static_cast<int>(total % 12 + 1);
    t.day = std::min(t.day, days_in_month(t.year, t.month));
    if (t.year < 1 || t.year > 9999) return std::nullopt;
    return t;
  }
  std::int64_t unit_ms = 0;
  if (u == "wk") unit_ms = 7LL * 86400000;
  if (u == "d") unit_ms = 86400000;
  if (u == "h") unit_ms = 3600000;
  if (u == "min") unit_ms = 60000;
  if (u == "s") unit_ms = 1000;
  if (u == "ms") unit_ms = 1;
  if (unit_ms == 0) return std::nullopt;
  Dec ms = dec_mul(amount, dec_from_int(unit_ms));
  auto delta = static_cast<std::int64_t>(dec_trunc(ms).mantissa);
  if (is_time && unit_ms >= 86400000) return std::nullopt;
  if (t.precision == TPrec::kYear) {
    t.year += static_cast<int>(delta / (365LL * 86400000));
    return t;
  }
  if (t.precision == TPrec::kMonth) {
    std::int64_t total = static_cast<std::int64_t>(t.year) * 12 + (t.month - 1) +
                         delta / (30LL * 86400000);
    t.year = static_cast<int>(total / 12);
    t.month = static_cast<int>(total % 12 + 1);
    return t;
  }
  // Keep only what the value's precision can express.
  std::int64_t grain = t.precision == TPrec::kDay ? 86400000
                       : t.precision == TPrec::kHour ? 3600000
                       : t.precision == TPrec::kMinute ? 60000
                       : t.precision == TPrec::kSecond ? 1000 : 1;
  delta = delta / grain * grain;
  std::int64_t total = to_millis(t) + delta;
  if (is_time) total = ((total % 86400000) + 86400000) % 86400000;
  from_millis(t, total);
  if (!is_time && (t.year < 1 || t.year > 9999)) return std::nullopt;
  return t;
}

Item make_temporal(const Temporal& t) {
  Item i;
  i.kind = t.kind;
  i.text = format_temporal(t);
  return i;
}

Temporal temporal_from_micros(std::int64_t micros, int tz_minutes, ItemKind kind) {
  Temporal t;
  t.kind = kind;
  std::int64_t ms = micros / 1000 + static_cast<std::int64_t>(tz_minutes) * 60000;
  from_millis(t, ms);
  t.precision = kind == ItemKind::kDate ? TPrec::kDay : TPrec::kMillis;
  t.has_tz = kind == ItemKind::kDateTime;
  t.tz_minutes = tz_minutes;
  return t;
}

// --- Quantity ----------------------------------------------------------------------------------

bool is_calendar_word(std::string_view unit) {
  static constexpr std::string_view kWords[] = {
      "year",  "years",  "month",  "months",  "week",   "weeks",   "day",         "days",
      "hour",  "hours",  "minute", "minutes", "second", "seconds", "millisecond", "milliseconds"};
  for (std::string_view w : kWords) {
    if (w == unit) return true;
  }
  return false;
}

std::string canonical_unit(std::string_view unit) {
  if (unit.size() >= 2 && unit.front() == '\'' && unit.back() == '\'') {
    unit = unit.substr(1, unit.size() - 2);
  }
  if (!unit.empty() && unit.back() == 's' && is_calendar_word(unit)) unit.remove_suffix(1);
  // Calendar durations of a week or less equal their UCUM units; year and month do not.
  if (unit == "week") return "wk";
  if (unit == "day") return "d";
  if (unit == "hour") return "h";
  if (unit == "minute") return "min";
  if (unit == "second") return "s";
  if (unit == "millisecond") return "ms";
  return std::string(unit);
}

std::optional<Dec> quantity_convert(const Dec& value, std::string_view from, std::string_view to) {
  std::string f = canonical_unit(from), t = canonical_unit(to);
  if (f == t) return value;
  const UnitDef* uf = find_unit(f);
  const UnitDef* ut = find_unit(t);
  if (uf == nullptr || ut == nullptr || uf->dimension != ut->dimension) return std::nullopt;
  return dec_div(dec_mul(value, *parse_dec(uf->factor)), *parse_dec(ut->factor));
}

std::optional<int> quantity_cmp(const Item& a, const Item& b) {
  auto va = parse_dec(a.text);
  auto vb = parse_dec(b.text);
  if (!va || !vb) return std::nullopt;
  auto converted = quantity_convert(*va, a.unit, b.unit);
  if (!converted) return std::nullopt;
  return dec_cmp(*converted, *vb);
}

Item make_quantity(const Dec& value, std::string unit) {
  Item i;
  i.kind = ItemKind::kQuantity;
  i.text = format_dec(value);
  i.unit = std::move(unit);
  return i;
}

}  // namespace hearth::fhir::fhirpath::detail
