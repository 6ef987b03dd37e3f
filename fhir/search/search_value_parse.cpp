// Reading one search value per parameter type (search.html#number, #date, #string, #token,
// #quantity, #reference, #uri), into the forms of fhir/search/index_values.h.
#include "fhir/search/search_value_parse.h"

#include <charconv>
#include <cmath>
#include <span>
#include <string>
#include <system_error>
#include <utility>

#include "fhir/search/composite.h"
#include "fhir/search/date_range.h"
#include "fhir/search/full_text.h"
#include "fhir/search/index_values.h"
#include "fhir/search/phonetic.h"
#include "fhir/search/text_fold.h"
#include "fhir/search/ucum.h"

namespace hearth::fhir::search::detail {
namespace {

struct PrefixName {
  std::string_view text;
  Prefix prefix;
};

constexpr PrefixName kPrefixes[] = {
    {"eq", Prefix::kEq}, {"ne", Prefix::kNe}, {"gt", Prefix::kGt},
    {"lt", Prefix::kLt}, {"ge", Prefix::kGe}, {"le", Prefix::kLe},
    {"sa", Prefix::kSa}, {"eb", Prefix::kEb}, {"ap", Prefix::kAp},
};

// Takes a leading prefix off `text`; kEq when there is none. Values of the prefixed types
// start with a digit or '-', so two leading letters can only be a prefix.
Prefix take_prefix(std::string_view& text) {
  for (const PrefixName& p : kPrefixes) {
    if (text.starts_with(p.text)) {
      text.remove_prefix(p.text.size());
      return p.prefix;
    }
  }
  return Prefix::kEq;
}

Status bad_value(std::string_view what, std::string_view text, std::string_view param,
                 std::string_view why = {}) {
  std::string message = "invalid " + std::string(what) + " '" + std::string(text) +
                        "' for search parameter '" + std::string(param) + "'";
  if (!why.empty()) message += ": " + std::string(why);
  return Status(Code::kInvalidArgument, std::move(message));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "http:", "urn:" ...: a URI scheme before the first ':' (ids and "Type/id" have no ':').
bool is_absolute(std::string_view ref) {
  std::size_t colon = ref.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    char c = ref[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alpha && !(i > 0 && (is_digit(c) || c == '+' || c == '-' || c == '.'))) return false;
  }
  return true;
}

// "Type/id" or "Type/id/_history/n" (the version is dropped: the index holds the reference
// without it, and search matches any version of the target).
bool split_type_id(std::string_view ref, SearchValue& value) {
  std::size_t slash = ref.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view type = ref.substr(0, slash);
  std::string_view rest = ref.substr(slash + 1);
  std::size_t next = rest.find('/');
  std::string_view id = rest.substr(0, next);
  if (next != std::string_view::npos) {
    std::string_view history = rest.substr(next + 1);
    if (!history.starts_with("_history/") || history.size() == 9 ||
        history.find('/', 9) != std::string_view::npos) {
      return false;
    }
  }
  if (!is_resource_type(type) || id.empty()) return false;
  value.target_type = std::string(type);
  value.target_id = std::string(id);
  return true;
}

Status parse_reference(const SearchParamDef& param, std::string_view target_type,
                       std::string_view base_url, SearchValue& value) {
  std::string_view ref = value.raw;
  if (!target_type.empty()) {
    // [param]:[Type]=[id]; "Type/id" of the same type is accepted as well.
    if (ref.starts_with(target_type) && ref.size() > target_type.size() &&
        ref[target_type.size()] == '/') {
      ref.remove_prefix(target_type.size() + 1);
    }
    if (ref.find('/') != std::string_view::npos) {
      return bad_value("reference", value.raw, param.code,
                       "with a type modifier the value is an id");
    }
    value.target_type = std::string(target_type);
    value.target_id = std::string(ref);
    return Status::ok();
  }
  // "#fragment", and a versioned canonical written relative ("Questionnaire/q|2"): as written.
  if (ref.starts_with('#') || (!is_absolute(ref) && ref.find('|') != std::string_view::npos)) {
    value.url = value.raw;
    return Status::ok();
  }
  if (is_absolute(ref)) {
    // Our own absolute URLs are the same references as "Type/id"; anything else (another
    // server, a canonical with or without "|version") is matched as written.
    if (!base_url.empty() && ref.starts_with(base_url) && ref.size() > base_url.size() &&
        ref[base_url.size()] == '/' && split_type_id(ref.substr(base_url.size() + 1), value)) {
      return Status::ok();
    }
    value.url = value.raw;
    return Status::ok();
  }
  if (ref.find('/') == std::string_view::npos) {
    value.target_id = std::string(ref);  // any target type
    return Status::ok();
  }
  if (!split_type_id(ref, value)) {
    return bad_value("reference", value.raw, param.code,
                     "expected [type]/[id], [id] or an absolute URL");
  }
  return Status::ok();
}

Status set_number(const SearchParamDef& param, std::string_view text, SearchValue& value) {
  value.prefix = take_prefix(text);
  if (value.prefix == Prefix::kSa || value.prefix == Prefix::kEb) {
    return bad_value("prefix", value.raw, param.code,
                     "the prefixes sa and eb do not apply to numbers and quantities");
  }
  Result<Decimal> decimal = parse_decimal(unescape(text), param.code);
  if (!decimal) return decimal.status();
  value.number = decimal->value;
  value.number_low = decimal->low;
  value.number_high = decimal->high;
  return Status::ok();
}

Status parse_token(const SearchParamDef& param, Modifier modifier, std::string_view text,
                   SearchValue& value) {
  if (modifier == Modifier::kText) {
    value.folded = fold_text(value.raw);
    return Status::ok();
  }
  if (modifier == Modifier::kOfType) {
    std::vector<std::string> parts = split_unescaped(text, '|', 3);
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
      return bad_value("token", value.raw, std::string(param.code) + ":of-type",
                       "expected [type system]|[type code]|[identifier value]");
    }
    value.has_system = true;
    value.system = of_type_system(unescape(parts[0]), unescape(parts[1]));
    value.code = unescape(parts[2]);
    return Status::ok();
  }
  std::vector<std::string> parts = split_unescaped(text, '|', 2);
  if (parts.size() == 1) {
    value.code = unescape(parts[0]);
    return Status::ok();
  }
  if (parts.size() != 2 || (parts[0].empty() && parts[1].empty())) {
    return bad_value("token", value.raw, param.code,
                     "expected [code], [system]|[code], |[code] or [system]|");
  }
  value.has_system = true;
  value.system = unescape(parts[0]);
  value.code = unescape(parts[1]);
  return Status::ok();
}

// [prefix]number, [prefix]number|system|code, [prefix]number||code (any system).
Status parse_quantity(const SearchParamDef& param, std::string_view text, SearchValue& value) {
  std::vector<std::string> parts = split_unescaped(text, '|', 3);
  if (parts.size() != 1 && parts.size() != 3) {
    return bad_value("quantity", value.raw, param.code,
                     "expected [number], [number]|[system]|[code] or [number]||[code]");
  }
  HEARTH_RETURN_IF_ERROR(set_number(param, parts[0], value));
  if (parts.size() == 3) {
    value.system = unescape(parts[1]);
    value.code = unescape(parts[2]);
    value.has_system = !value.system.empty();
  }
  // A UCUM unit that converts is searched in canonical units, against the canonical rows
  // (fhir/search/ucum.h): 5.4 mg as 0.0054 g, its precision range scaled alike.
  if (value.system == kUcumSystem && !value.code.empty()) {
    if (std::optional<UcumCanonical> canonical = ucum_canonical(value.code)) {
      value.system = kUcumCanonicalSystem;
      value.code = std::move(canonical->unit);
      value.number *= canonical->factor;
      value.number_low *= canonical->factor;
      value.number_high *= canonical->factor;
    }
  }
  return Status::ok();
}

}  // namespace

std::vector<std::string> split_unescaped(std::string_view text, char sep, std::size_t max_parts) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      parts.back() += c;
      parts.back() += text[++i];
    } else if (c == sep) {
      if (parts.size() > max_parts) break;
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char next = text[i + 1];
      if (next == ',' || next == '$' || next == '|' || next == '\\') {
        out += next;
        ++i;
        continue;
      }
    }
    out += c;
  }
  return out;
}

Result<Decimal> parse_decimal(std::string_view text, std::string_view param) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && text[i] == '-') ++i;
  std::size_t digits = i;
  while (i < n && is_digit(text[i])) ++i;
  if (i == digits) return bad_value("number", text, param);
  long fraction_digits = 0;
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && is_digit(text[i])) {
      ++i;
      ++fraction_digits;
    }
    if (fraction_digits == 0) return bad_value("number", text, param);
  }
  long exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    std::size_t start = i;
    for (; i < n && is_digit(text[i]); ++i) {
      if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (i == start) return bad_value("number", text, param);
    if (negative) exponent = -exponent;
  }
  if (i != n) return bad_value("number", text, param);

  Decimal decimal;
  auto [end, ec] = std::from_chars(text.data(), text.data() + n, decimal.value);
  if (ec != std::errc() || end != text.data() + n || !std::isfinite(decimal.value)) {
    return bad_value("number", text, param, "out of range");
  }
  double half = 0.5 * std::pow(10.0, static_cast<double>(exponent - fraction_digits));
  if (!std::isfinite(half)) return bad_value("number", text, param, "out of range");
  decimal.low = decimal.value - half;
  decimal.high = decimal.value + half;
  return decimal;
}

namespace {

// "a$b": one value per component of `param`, each read by its component parameter.
Status parse_composite(const SearchParamDef& param, std::string_view text,
                       std::string_view base_url, SearchValue& value) {
  const std::span<const SearchParamDef* const> parts = composite_components(param);
  std::vector<std::string> texts = split_unescaped(text, '$', parts.size());
  if (parts.empty() || texts.size() != parts.size()) {
    return bad_value("composite", value.raw, param.code,
                     "expected " + std::to_string(parts.size()) + " parts separated by '$'");
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Result<SearchValue> part = parse_value(*parts[i], Modifier::kNone, "", texts[i], base_url);
    if (!part.is_ok()) {
      return Status(Code::kInvalidArgument,
                    "part " + std::to_string(i + 1) + " of composite search parameter '" +
                        std::string(param.code) + "': " + part.status().message());
    }
    value.components.push_back(std::move(*part));
  }
  return Status();
}

}  // namespace

Result<SearchValue> parse_value(const SearchParamDef& param, Modifier modifier,
                                std::string_view target_type, std::string_view text,
                                std::string_view base_url) {
  SearchValue value;
  value.raw = unescape(text);
  if (modifier == Modifier::kMissing) {
    if (value.raw != "true" && value.raw != "false") {
      return bad_value("value", value.raw, std::string(param.code) + ":missing",
                       "expected true or false");
    }
    value.missing = value.raw == "true";
    return value;
  }
  switch (param.type) {
    case SearchParamType::kString:
      // A :contains value becomes a LIKE pattern; SQLite refuses patterns over 50,000 bytes.
      if (modifier == Modifier::kContains && value.raw.size() > kMaxContainsBytes) {
        return Status(Code::kInvalidArgument, "a :contains value of search parameter '" +
                                                  std::string(param.code) + "' may be at most " +
                                                  std::to_string(kMaxContainsBytes) + " bytes");
      }
      if (is_full_text(param)) {
        // The words, each once, space-separated (the storage compiler splits them again).
        const std::vector<std::string> words = full_text_words(value.raw);
        if (words.size() > kMaxQueryWords) {
          return bad_value("text", value.raw, param.code,
                           "it has more than " + std::to_string(kMaxQueryWords) + " words");
        }
        for (const std::string& word : words) {
          value.folded += (value.folded.empty() ? "" : " ") + word;
        }
        if (value.folded.empty()) {
          return bad_value("text", value.raw, param.code, "it has no word (letters or digits)");
        }
        return value;
      }
      if (is_phonetic(param)) {
        value.folded = soundex(value.raw);
        if (value.folded.empty()) {
          return bad_value("phonetic value", value.raw, param.code, "it has no letter to encode");
        }
        return value;
      }
      value.folded = fold_text(value.raw);
      return value;
    case SearchParamType::kUri:
      if (modifier == Modifier::kContains && value.raw.size() > kMaxContainsBytes) {
        return Status(Code::kInvalidArgument, "a :contains value of search parameter '" +
                                                  std::string(param.code) + "' may be at most " +
                                                  std::to_string(kMaxContainsBytes) + " bytes");
      }
      return value;
    case SearchParamType::kNumber:
      HEARTH_RETURN_IF_ERROR(set_number(param, text, value));
      return value;
    case SearchParamType::kDate: {
      value.prefix = take_prefix(text);
      std::optional<DateRange> range = date_range(unescape(text));
      if (!range) return bad_value("date", value.raw, param.code);
      value.low = range->low;
      value.high = range->high;
      return value;
    }
    case SearchParamType::kToken:
      HEARTH_RETURN_IF_ERROR(parse_token(param, modifier, text, value));
      return value;
    case SearchParamType::kQuantity:
      HEARTH_RETURN_IF_ERROR(parse_quantity(param, text, value));
      return value;
    case SearchParamType::kReference:
      HEARTH_RETURN_IF_ERROR(parse_reference(param, target_type, base_url, value));
      return value;
    case SearchParamType::kComposite:
      HEARTH_RETURN_IF_ERROR(parse_composite(param, text, base_url, value));
      return value;
    case SearchParamType::kSpecial: break;
  }
  return Status(Code::kInvalidArgument,
                "search parameter '" + std::string(param.code) + "' is not supported");
}

}  // namespace hearth::fhir::search::detail
