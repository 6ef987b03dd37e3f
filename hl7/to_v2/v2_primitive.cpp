// Character-level rewrites: FHIR's separators ('-', ':', 'T') dropped, the zone as +hhmm.
#include "hl7/to_v2/v2_primitive.h"

#include <cctype>

namespace hearth::hl7::to_v2 {
namespace {

bool digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// A v2 DTM carries at most 4 digits of a second's fraction.
constexpr std::size_t kMaxFraction = 4;

// "12:30:45.25" -> "123045.25" (stops at a zone); a fraction cut to kMaxFraction digits, left
// out when it is all zeros.
std::size_t copy_time(std::string_view text, std::size_t i, std::string& out) {
  while (i < text.size() && (digit(text[i]) || text[i] == ':')) {
    if (text[i] != ':') out += text[i];
    ++i;
  }
  if (i < text.size() && text[i] == '.') {
    std::string fraction;
    for (++i; i < text.size() && digit(text[i]); ++i) {
      if (fraction.size() < kMaxFraction) fraction += text[i];
    }
    if (fraction.find_first_not_of('0') != std::string::npos) out += "." + fraction;
  }
  return i;
}

std::string date_time(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && (digit(text[i]) || text[i] == '-')) {
    if (text[i] != '-') out += text[i];
    ++i;
  }
  if (i < text.size() && text[i] == 'T') {
    i = copy_time(text, i + 1, out);
    if (i < text.size() && text[i] == 'Z') {
      out += "+0000";
    } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      out += text[i];
      for (++i; i < text.size(); ++i) {
        if (text[i] != ':') out += text[i];
      }
    }
  }
  return out;
}

}  // namespace

std::string_view temporal_kind(std::string_view text) {
  if (text.size() >= 4 && digit(text[0]) && digit(text[1]) && digit(text[2]) && digit(text[3]) &&
      (text.size() == 4 || text[4] == '-')) {
    return "dateTime";
  }
  if (text.size() >= 8 && digit(text[0]) && digit(text[1]) && text[2] == ':') return "time";
  return "";
}

std::string v2_from_fhir(std::string_view text, std::string_view fhir_type) {
  if (fhir_type == "date" || fhir_type == "dateTime" || fhir_type == "instant") {
    return date_time(text);
  }
  if (fhir_type == "time") {
    std::string out;
    copy_time(text, 0, out);
    return out;
  }
  if (fhir_type == "boolean") {
    if (text == "true") return "Y";
    if (text == "false") return "N";
  }
  return std::string(text);
}

}  // namespace hearth::hl7::to_v2
