// The primitive checkers: small scanners following each official regex character by character.
#include "fhir/primitive.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

namespace hearth::fhir {
namespace {

constexpr std::array<std::pair<std::string_view, Primitive>, 20> kNames = {{
    {"base64Binary", Primitive::kBase64Binary},
    {"boolean", Primitive::kBoolean},
    {"canonical", Primitive::kCanonical},
    {"code", Primitive::kCode},
    {"date", Primitive::kDate},
    {"dateTime", Primitive::kDateTime},
    {"decimal", Primitive::kDecimal},
    {"id", Primitive::kId},
    {"instant", Primitive::kInstant},
    {"integer", Primitive::kInteger},
    {"markdown", Primitive::kMarkdown},
    {"oid", Primitive::kOid},
    {"positiveInt", Primitive::kPositiveInt},
    {"string", Primitive::kString},
    {"time", Primitive::kTime},
    {"unsignedInt", Primitive::kUnsignedInt},
    {"uri", Primitive::kUri},
    {"url", Primitive::kUrl},
    {"uuid", Primitive::kUuid},
    {"xhtml", Primitive::kXhtml},
}};

// A control character no FHIR primitive may hold: all but tab, CR and LF.
bool is_forbidden_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r' && c != '\n';
}

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Does the eight-byte `block` hold a byte below `bound` (at most 0x80)? A byte below it borrows
// through bit 7 of (byte - bound) while its own bit 7 is clear; exact for the block as a whole.
constexpr bool block_has_below(std::uint64_t block, std::uint64_t bound) {
  return ((block - bound * kOnes) & ~block & kHighs) != 0;
}

// Does `s` hold a forbidden control character? Eight bytes at a time: a block with no byte
// below 0x20 (most of them) is passed whole.
bool has_forbidden_control(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t block = 0;
    std::memcpy(&block, s.data() + i, 8);
    if (!block_has_below(block, 0x20)) continue;
    if (std::any_of(s.begin() + static_cast<std::ptrdiff_t>(i),
                    s.begin() + static_cast<std::ptrdiff_t>(i + 8), is_forbidden_control)) {
      return true;
    }
  }
  return std::any_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), is_forbidden_control);
}

// Does `s` hold a byte up to 0x20 (a space, or a control character)? Eight bytes at a time.
bool has_space_or_control(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t block = 0;
    std::memcpy(&block, s.data() + i, 8);
    if (block_has_below(block, 0x21)) return true;
  }
  return std::any_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
// The bytes ECMAScript's \s matches in std::regex's narrow-character "C" locale.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_base64(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '/' ||
         c == '=';
}

// A cursor over the text with the few steps the date/time grammars need.
struct Scanner {
  std::string_view s;
  std::size_t pos = 0;

  bool done() const { return pos == s.size(); }
  bool peek(char c) const { return pos < s.size() && s[pos] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos;
    return true;
  }
  // Reads exactly `n` digits as a number into `out`.
  bool number(int n, int& out) {
    if (s.size() - pos < static_cast<std::size_t>(n)) return false;
    out = 0;
    for (int i = 0; i < n; ++i) {
      char c = s[pos + i];
      if (!is_digit(c)) return false;
      out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
  }
  // "(\.[0-9]+)?"
  bool fraction() {
    if (!eat('.')) return true;
    std::size_t start = pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    return pos > start;
  }
};

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// YYYY(-MM(-DD)?)? with `parts` receiving 1, 2 or 3; `full` demands all three.
bool scan_date(Scanner& sc, bool full, int& parts) {
  int year = 0, month = 0, day = 0;
  if (!sc.number(4, year) || year == 0) return false;
  parts = 1;
  if (!sc.eat('-')) return !full;
  if (!sc.number(2, month) || month < 1 || month > 12) return false;
  parts = 2;
  if (!sc.eat('-')) return !full;
  if (!sc.number(2, day) || day < 1 || day > days_in_month(year, month)) return false;
  parts = 3;
  return true;
}

// hh:mm:ss(.f)?
bool scan_time(Scanner& sc) {
  int h = 0, m = 0, s = 0;
  return sc.number(2, h) && h <= 23 && sc.eat(':') && sc.number(2, m) && m <= 59 && sc.eat(':') &&
         sc.number(2, s) && s <= 60 && sc.fraction();
}

// Z | (+|-)((0[0-9]|1[0-3]):[0-5][0-9] | 14:00)
bool scan_zone(Scanner& sc) {
  if (sc.eat('Z')) return true;
  if (!sc.eat('+') && !sc.eat('-')) return false;
  int h = 0, m = 0;
  if (!sc.number(2, h) || !sc.eat(':') || !sc.number(2, m)) return false;
  return (h <= 13 && m <= 59) || (h == 14 && m == 0);
}

bool valid_date(std::string_view s) {
  Scanner sc{s};
  int parts = 0;
  return scan_date(sc, false, parts) && sc.done();
}

bool valid_date_time(std::string_view s, bool instant) {
  Scanner sc{s};
  int parts = 0;
  if (!scan_date(sc, instant, parts)) return false;
  if (sc.done()) return !instant;
  return parts == 3 && sc.eat('T') && scan_time(sc) && scan_zone(sc) && sc.done();
}

bool valid_time(std::string_view s) {
  Scanner sc{s};
  return scan_time(sc) && sc.done();
}

// Digits without a leading zero ("0" alone allowed when `zero_ok`), value <= 2^31-1 (+1 when
// `negative`, for integer's minimum).
bool valid_int(std::string_view s, bool zero_ok, bool negative) {
  if (s.empty() || s.size() > 10) return false;
  if (s[0] == '0') return zero_ok && s.size() == 1;
  long long v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  return v <= 2147483647LL + (negative ? 1 : 0);
}

bool valid_integer(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  return valid_int(s, true, negative);
}

bool valid_decimal(std::string_view s) {
  std::size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i == n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (is_digit(s[i])) {
    while (i < n && is_digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    std::size_t start = ++i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t start = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == n;
}

// The control characters were checked before (is_valid_primitive): only emptiness is left.
bool valid_string(std::string_view s) {
  return !s.empty();
}

// The control characters were checked before (is_valid_primitive): every byte up to 0x20 left is
// a space (\t, \n, \r or ' '), which a uri may not hold.
bool valid_uri(std::string_view s) {
  return !s.empty() && !has_space_or_control(s);
}

bool valid_code(std::string_view s) {
  if (s.empty()) return false;
  if (!has_space_or_control(s)) return true;  // most codes: no space at all
  if (is_space(s.front()) || is_space(s.back())) return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (is_space(s[i]) && is_space(s[i - 1])) return false;
  }
  return true;
}

bool valid_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok =
        is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool valid_oid(std::string_view s) {
  constexpr std::string_view kPrefix = "urn:oid:";
  if (!s.starts_with(kPrefix)) return false;
  s.remove_prefix(kPrefix.size());
  if (s.empty() || s[0] < '0' || s[0] > '2') return false;
  s.remove_prefix(1);
  if (s.empty()) return false;  // at least one ".arc"
  while (!s.empty()) {
    if (s[0] != '.') return false;
    s.remove_prefix(1);
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    if (n == 0 || (s[0] == '0' && n > 1)) return false;
    s.remove_prefix(n);
  }
  return true;
}

bool valid_uuid(std::string_view s) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (!s.starts_with(kPrefix)) return false;
  s.remove_prefix(kPrefix.size());
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_lower_hex(s[i])) return false;
  }
  return true;
}

// (\s*([0-9a-zA-Z\+/=]){4}\s*)+
bool valid_base64(std::string_view s) {
  std::size_t i = 0, n = s.size(), groups = 0;
  while (true) {
    while (i < n && is_space(s[i])) ++i;
    if (i == n) return groups > 0;
    for (int k = 0; k < 4; ++k, ++i) {
      if (i == n || !is_base64(s[i])) return false;
    }
    ++groups;
  }
}

}  // namespace

std::optional<Primitive> primitive_from_name(std::string_view type_code) {
  for (const auto& [name, p] : kNames) {
    if (name == type_code) return p;
  }
  return std::nullopt;
}

std::string_view primitive_name(Primitive p) {
  return kNames[static_cast<std::size_t>(p)].first;
}

JsonShape json_shape(Primitive p) {
  switch (p) {
    case Primitive::kBoolean: return JsonShape::kBoolean;
    case Primitive::kDecimal:
    case Primitive::kInteger:
    case Primitive::kPositiveInt:
    case Primitive::kUnsignedInt: return JsonShape::kNumber;
    default: return JsonShape::kString;
  }
}

bool is_valid_primitive(Primitive p, std::string_view text) {
  // No FHIR primitive may hold a control character other than tab, CR and LF (string's rule,
  // and XML 1.0 cannot carry them): rejecting them here keeps every stored body writable as
  // XML.
  if (has_forbidden_control(text)) return false;
  switch (p) {
    case Primitive::kBase64Binary: return valid_base64(text);
    case Primitive::kBoolean: return text == "true" || text == "false";
    case Primitive::kCanonical:
    case Primitive::kUri:
    case Primitive::kUrl: return valid_uri(text);
    case Primitive::kCode: return valid_code(text);
    case Primitive::kDate: return valid_date(text);
    case Primitive::kDateTime: return valid_date_time(text, false);
    case Primitive::kInstant: return valid_date_time(text, true);
    case Primitive::kDecimal: return valid_decimal(text);
    case Primitive::kId: return valid_id(text);
    case Primitive::kInteger: return valid_integer(text);
    case Primitive::kPositiveInt: return valid_int(text, false, false);
    case Primitive::kUnsignedInt: return valid_int(text, true, false);
    case Primitive::kMarkdown:
    case Primitive::kString: return valid_string(text);
    case Primitive::kOid: return valid_oid(text);
    case Primitive::kTime: return valid_time(text);
    case Primitive::kUuid: return valid_uuid(text);
    case Primitive::kXhtml: return text.starts_with("<div");
  }
  return false;
}

}  // namespace hearth::fhir
