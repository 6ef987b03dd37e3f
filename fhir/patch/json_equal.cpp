// Semantic JSON equality, with numbers compared as exact decimals (never through double, which
// would call 0.1 + distinct long mantissas equal).
#include "fhir/patch/json_equal.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::fhir::patch {
namespace {

// A decimal as sign, significant digits (no leading or trailing zeros) and the power of ten of
// the last digit: 1.50 -> (+, "15", -1); 0 -> (+, "", 0).
struct Decimal {
  bool negative = false;
  std::string digits;
  std::int64_t exponent = 0;
  bool operator==(const Decimal&) const = default;
};

// `text` has JSON number syntax (the parser checked it). False for an exponent beyond 10^18,
// which is then compared by its text only.
bool to_decimal(std::string_view text, Decimal& out) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) out.negative = text[i++] == '-';
  std::int64_t fraction_digits = 0;
  bool in_fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
      continue;
    }
    out.digits += text[i];
    if (in_fraction) ++fraction_digits;
  }
  std::int64_t exponent = 0;
  if (i < text.size()) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    for (; i < text.size(); ++i) {
      if (exponent > 1'000'000'000'000'000) return false;
      exponent = exponent * 10 + (text[i] - '0');
    }
    if (exp_negative) exponent = -exponent;
  }
  std::size_t first = out.digits.find_first_not_of('0');
  if (first == std::string::npos) {  // zero, whatever its sign or exponent
    out = Decimal{};
    return true;
  }
  out.digits.erase(0, first);
  std::size_t last = out.digits.find_last_not_of('0');
  std::int64_t trailing = static_cast<std::int64_t>(out.digits.size() - 1 - last);
  out.digits.erase(last + 1);
  out.exponent = exponent - fraction_digits + trailing;
  return true;
}

bool numbers_equal(std::string_view a, std::string_view b) {
  if (a == b) return true;
  Decimal da;
  Decimal db;
  if (!to_decimal(a, da) || !to_decimal(b, db)) return false;
  return da == db;
}

}  // namespace

bool json_equal(const JsonValue& a, const JsonValue& b) {
  if (is_json_number(a) || is_json_number(b)) {
    return is_json_number(a) && is_json_number(b) &&
           numbers_equal(json_number_text(a), json_number_text(b));
  }
  if (a.GetType() != b.GetType()) {
    // RapidJSON types true and false apart; both are booleans here.
    return a.IsBool() && b.IsBool() && a.GetBool() == b.GetBool();
  }
  if (a.IsString()) return json_string(a) == json_string(b);
  if (a.IsBool()) return a.GetBool() == b.GetBool();
  if (a.IsNull()) return true;
  if (a.IsNumber()) return a == b;  // numbers parsed without the text flag (tests, literals)
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!json_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.MemberCount() != b.MemberCount()) return false;
  for (const auto& member : a.GetObject()) {
    auto it = b.FindMember(member.name);
    if (it == b.MemberEnd() || !json_equal(member.value, it->value)) return false;
  }
  return true;
}

}  // namespace hearth::fhir::patch
