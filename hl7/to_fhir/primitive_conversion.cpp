// One converter per FHIR type; the date and time ones read the v2 DTM layout
// YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ] digit by digit.
#include "hl7/to_fhir/primitive_conversion.h"

#include <cctype>
#include <cstdlib>

#include "core/time_format.h"

namespace hearth::hl7::to_fhir {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return !s.empty();
}

int number_at(std::string_view s, std::size_t at, std::size_t n) {
  int value = 0;
  for (std::size_t i = at; i < at + n; ++i) value = value * 10 + (s[i] - '0');
  return value;
}

Status not_a(std::string_view type, std::string_view text) {
  return Status(Code::kInvalidArgument,
                "'" + std::string(text) + "' is not a FHIR " + std::string(type));
}

struct DtmParts {
  std::string_view digits;    // YYYY...SS
  std::string_view fraction;  // after '.', digits
  std::string_view offset;    // "+hhmm" / "-hhmm" or ""
};

// Splits a DTM and checks each part's digits and ranges; false when it is not one.
bool split_dtm(std::string_view text, DtmParts& out) {
  const std::size_t sign = text.find_first_of("+-");
  std::string_view body = text.substr(0, sign);
  if (sign != std::string_view::npos) {
    out.offset = text.substr(sign);
    if (out.offset.size() != 5 || !all_digits(out.offset.substr(1)) ||
        number_at(out.offset, 1, 2) > 14 || number_at(out.offset, 3, 2) > 59) {
      return false;
    }
  }
  const std::size_t dot = body.find('.');
  if (dot != std::string_view::npos) {
    out.fraction = body.substr(dot + 1);
    body = body.substr(0, dot);
    if (body.size() != 14 || out.fraction.size() > 4 || !all_digits(out.fraction)) return false;
  }
  static constexpr std::size_t kLengths[] = {4, 6, 8, 10, 12, 14};
  bool length_ok = false;
  for (std::size_t n : kLengths) length_ok = length_ok || body.size() == n;
  if (!length_ok || !all_digits(body)) return false;
  out.digits = body;
  struct Range {
    std::size_t at;
    int low, high;
  };
  static constexpr Range kRanges[] = {{4, 1, 12}, {6, 1, 31}, {8, 0, 23}, {10, 0, 59}, {12, 0, 59}};
  for (const Range& r : kRanges) {
    if (body.size() < r.at + 2) break;
    const int v = number_at(body, r.at, 2);
    if (v < r.low || v > r.high) return false;
  }
  return true;
}

std::string date_part(std::string_view d) {
  std::string out(d.substr(0, 4));
  if (d.size() >= 6) out += "-" + std::string(d.substr(4, 2));
  if (d.size() >= 8) out += "-" + std::string(d.substr(6, 2));
  return out;
}

std::string offset_of(const DtmParts& parts, const ConversionOptions& options) {
  if (parts.offset.empty()) return options.default_offset;
  if (parts.offset.substr(1) == "0000") return "Z";
  return std::string(parts.offset.substr(0, 3)) + ":" + std::string(parts.offset.substr(3, 2));
}

Result<std::string> date_time(std::string_view text, std::string_view type,
                              const ConversionOptions& options) {
  DtmParts parts;
  if (!split_dtm(text, parts)) return not_a(type, text);
  const std::string_view d = parts.digits;
  if (type == "date") return date_part(d);
  if (d.size() <= 8) {
    if (type == "instant") return not_a(type, text);
    return date_part(d);
  }
  std::string out = date_part(d) + "T" + std::string(d.substr(8, 2)) + ":";
  out += d.size() >= 12 ? std::string(d.substr(10, 2)) : "00";
  out += ":";
  out += d.size() >= 14 ? std::string(d.substr(12, 2)) : "00";
  if (!parts.fraction.empty()) out += "." + std::string(parts.fraction);
  return out + offset_of(parts, options);
}

Result<std::string> time_of_day(std::string_view text) {
  std::string_view t = text.substr(0, text.find_first_of("+-"));
  const std::size_t dot = t.find('.');
  std::string_view fraction;
  if (dot != std::string_view::npos) {
    fraction = t.substr(dot + 1);
    t = t.substr(0, dot);
  }
  if ((t.size() != 2 && t.size() != 4 && t.size() != 6) || !all_digits(t) ||
      (!fraction.empty() && !all_digits(fraction)) || number_at(t, 0, 2) > 23 ||
      (t.size() >= 4 && number_at(t, 2, 2) > 59) || (t.size() == 6 && number_at(t, 4, 2) > 59)) {
    return not_a("time", text);
  }
  std::string out = std::string(t.substr(0, 2)) + ":" +
                    (t.size() >= 4 ? std::string(t.substr(2, 2)) : "00") + ":" +
                    (t.size() == 6 ? std::string(t.substr(4, 2)) : "00");
  if (!fraction.empty()) out += "." + std::string(fraction);
  return out;
}

Result<std::string> boolean(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "y" || lower == "t" || lower == "1" || lower == "true" || lower == "yes") {
    return std::string("true");
  }
  if (lower == "n" || lower == "f" || lower == "0" || lower == "false" || lower == "no") {
    return std::string("false");
  }
  return not_a("boolean", text);
}

// A v2 NM ("+007.50", "-.5", "12.") as FHIR JSON number text ("7.50", "-0.5", "12").
Result<std::string> number(std::string_view text, std::string_view type) {
  std::string_view t = text;
  std::string sign;
  if (!t.empty() && (t.front() == '+' || t.front() == '-')) {
    if (t.front() == '-') sign = "-";
    t.remove_prefix(1);
  }
  const std::size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : t.substr(dot + 1);
  if ((whole.empty() && fraction.empty()) || (!whole.empty() && !all_digits(whole)) ||
      (!fraction.empty() && !all_digits(fraction))) {
    return not_a(type, text);
  }
  while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
  std::string out = sign + (whole.empty() ? std::string("0") : std::string(whole));
  if (!fraction.empty()) out += "." + std::string(fraction);
  if (type != "decimal") {
    if (!fraction.empty() || out.size() > 10) return not_a(type, text);
    const long long value = std::stoll(out);
    if ((type == "positiveInt" && value < 1) || (type == "unsignedInt" && value < 0) ||
        value > 2147483647LL || value < -2147483648LL) {
      return not_a(type, text);
    }
    if (out == "-0") out = "0";
  }
  return out;
}

std::string collapse_space(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// `text` with runs of leading and trailing white space dropped and each inner white space
// character written %20 (space), %09 (tab) ...; empty is not a uri.
Result<std::string> percent_encode_space(std::string_view text, std::string_view fhir_type) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  if (text.empty()) return not_a(fhir_type, text);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) {
      out += c;
      continue;
    }
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '%';
    out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
    out += kHex[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

}  // namespace

std::string add_seconds(std::string_view date_time, std::int64_t seconds) {
  if (date_time.size() < 20 || date_time[10] != 'T') return {};
  int offset_minutes = 0;
  std::string zone = "Z";
  if (date_time.back() != 'Z') {
    if (date_time.size() < 25) return {};
    zone = std::string(date_time.substr(date_time.size() - 6));
    if ((zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return {};
    const int hours = std::atoi(zone.substr(1, 2).c_str());
    const int minutes = std::atoi(zone.substr(4, 2).c_str());
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const std::optional<std::int64_t> utc = parse_instant_lower_bound(date_time);
  if (!utc) return {};
  const std::int64_t local = *utc + (seconds + offset_minutes * 60LL) * 1'000'000LL;
  return format_instant(local).substr(0, 19) + zone;  // "YYYY-MM-DDThh:mm:ss" + zone
}

std::optional<std::int64_t> duration_seconds(std::string_view count, std::string_view unit) {
  if (count.empty() || count.size() > 9 ||
      count.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string u;
  for (char c : unit) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::int64_t per = 0;
  if (u.empty() || u == "min" || u == "mn") per = 60;
  if (u == "s" || u == "sec") per = 1;
  if (u == "h" || u == "hr") per = 3600;
  if (u == "d") per = 86400;
  if (u == "wk") per = 7 * 86400;
  if (per == 0) return std::nullopt;
  return std::stoll(std::string(count)) * per;
}

Result<std::string> to_fhir_primitive(std::string_view text, std::string_view fhir_type,
                                      const ConversionOptions& options) {
  if (fhir_type == "date" || fhir_type == "dateTime" || fhir_type == "instant") {
    return date_time(text, fhir_type, options);
  }
  if (fhir_type == "time") return time_of_day(text);
  if (fhir_type == "boolean") return boolean(text);
  if (fhir_type == "decimal" || fhir_type == "integer" || fhir_type == "positiveInt" ||
      fhir_type == "unsignedInt") {
    return number(text, fhir_type);
  }
  if (fhir_type == "code") {
    std::string code = collapse_space(text);
    if (code.empty()) return not_a(fhir_type, text);
    return code;
  }
  if (fhir_type == "uri" || fhir_type == "url") {
    // A local namespace as a uri (HD[uri]: an assigning authority "NIST MPI" as the system of
    // PID-3's identifier, as the IG maps HD.1): white space inside it percent-encoded, as a URI
    // writes it, so the patient keeps an identity it is found again by.
    return percent_encode_space(text, fhir_type);
  }
  if (fhir_type == "id" || fhir_type == "oid" || fhir_type == "uuid" || fhir_type == "canonical") {
    for (char c : text) {
      if (std::isspace(static_cast<unsigned char>(c)) != 0) return not_a(fhir_type, text);
    }
    if (text.empty()) return not_a(fhir_type, text);
  }
  return std::string(text);
}

}  // namespace hearth::hl7::to_fhir
