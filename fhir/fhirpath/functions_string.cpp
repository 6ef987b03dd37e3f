// String manipulation (http://hl7.org/fhirpath/N1/#string-manipulation and the 2.0 additions the
// suite uses: encode, decode, escape, unescape, trim, split, join, matchesFull). Positions and
// lengths count Unicode code points of the UTF-8 text.
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <cctype>
#include <memory>
#include <vector>

#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

// Bounds on what a regex function accepts (expressions and data come from clients).
constexpr std::size_t kMaxRegexSubject = 1 << 20;
constexpr std::size_t kMaxRegexPattern = 4096;

// The string input and string arguments of a call; `ok` false when any is empty (the result is
// then empty) and `status` holds a type error.
struct StringArgs {
  std::string input;
  std::vector<std::string> args;
  bool ok = false;
  Status status;
};

StringArgs string_args(const Call& c) {
  StringArgs r;
  auto in = input_string(c);
  if (!in.is_ok()) {
    r.status = std::move(in).take_status();
    return r;
  }
  if (!in->has_value()) return r;
  r.input = **in;
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    auto a = arg_string(c, i);
    if (!a.is_ok()) {
      r.status = std::move(a).take_status();
      return r;
    }
    if (!a->has_value()) return r;
    r.args.push_back(**a);
  }
  r.ok = true;
  return r;
}

bool is_continuation(char ch) {
  return (static_cast<unsigned char>(ch) & 0xC0) == 0x80;
}

// Code points in `s`.
std::int64_t char_count(std::string_view s) {
  std::int64_t n = 0;
  for (char ch : s) n += is_continuation(ch) ? 0 : 1;
  return n;
}

// Byte offset of code point `index` (s.size() when past the end).
std::size_t byte_offset(std::string_view s, std::int64_t index) {
  std::size_t i = 0;
  for (std::int64_t k = 0; k < index && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && is_continuation(s[i])) ++i;
  }
  return i;
}

// The code points of `s`, each as a string.
std::vector<std::string> chars(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = i + 1;
    while (j < s.size() && is_continuation(s[j])) ++j;
    out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// NOLINTBEGIN(bugprone-macro-parentheses): the arguments name a call and the declared value.
#define HEARTH_STRING_ARGS(c, s)          \
  StringArgs s = string_args(c);          \
  if (!s.status.is_ok()) return s.status; \
  if (!s.ok) return Status::ok()
// NOLINTEND(bugprone-macro-parentheses)

Status fn_index_of(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  std::size_t p = s.input.find(s.args[0]);
  if (p == std::string::npos) return push(c, make_integer(-1));
  return push(c, make_integer(char_count(std::string_view(s.input).substr(0, p))));
}

Status fn_substring(Call& c) {
  auto in = input_string(c);
  if (!in.is_ok()) return std::move(in).take_status();
  auto start = arg_integer(c, 0);
  if (!start.is_ok()) return std::move(start).take_status();
  if (!in->has_value() || !start->has_value()) return Status::ok();
  const std::string& s = **in;
  std::int64_t b = **start;
  std::int64_t count = char_count(s);
  if (b < 0 || b >= count) return Status::ok();
  std::int64_t len = count - b;
  if (c.args.size() > 1) {
    auto l = arg_integer(c, 1);
    if (!l.is_ok()) return std::move(l).take_status();
    if (l->has_value()) len = std::max<std::int64_t>(0, std::min(len, **l));
  }
  std::size_t from = byte_offset(s, b);
  std::size_t to = from + byte_offset(std::string_view(s).substr(from), len);
  return push(c, make_string(s.substr(from, to - from)));
}

Status fn_starts_with(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  return push_bool(c, s.input.starts_with(s.args[0]));
}
Status fn_ends_with(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  return push_bool(c, s.input.ends_with(s.args[0]));
}
Status fn_contains(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  return push_bool(c, s.input.find(s.args[0]) != std::string::npos);
}

Status change_case(Call& c, bool upper) {
  HEARTH_STRING_ARGS(c, s);
  for (char& ch : s.input) {
    auto u = static_cast<unsigned char>(ch);
    ch = static_cast<char>(upper ? std::toupper(u) : std::tolower(u));
  }
  return push(c, make_string(std::move(s.input)));
}
Status fn_upper(Call& c) {
  return change_case(c, true);
}
Status fn_lower(Call& c) {
  return change_case(c, false);
}

Status fn_replace(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  const std::string& pat = s.args[0];
  const std::string& rep = s.args[1];
  std::string out;
  if (pat.empty()) {
    out = rep;
    for (const std::string& ch : chars(s.input)) {
      out += ch;
      out += rep;
      if (out.size() > kMaxStringBytes) return c.error("string too long");
    }
    return push(c, make_string(std::move(out)));
  }
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = s.input.find(pat, pos);
    if (hit == std::string::npos) break;
    out.append(s.input, pos, hit - pos);
    out += rep;
    pos = hit + pat.size();
  }
  out.append(s.input, pos);
  if (out.size() > kMaxStringBytes) return c.error("string too long");
  return push(c, make_string(std::move(out)));
}

// A compiled regex with its matcher over `subject`. ICU runs in single-line mode as FHIRPath
// asks ('.' matches a newline) with a step limit, so a pathological pattern fails instead of
// running for ages.
struct Regex {
  std::unique_ptr<icu::RegexPattern> pattern;
  // On the heap: the matcher keeps a pointer to it, and a Regex is moved around.
  std::unique_ptr<icu::UnicodeString> subject;
  std::unique_ptr<icu::RegexMatcher> matcher;
};

constexpr std::int32_t kRegexTimeLimit = 500;  // ICU match-engine steps (~milliseconds)

Result<Regex> compile_regex(const Call& c, const std::string& pattern, const std::string& subject) {
  if (pattern.size() > kMaxRegexPattern || subject.size() > kMaxRegexSubject) {
    return c.error("regular expression or its subject too long");
  }
  Regex r;
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  r.pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), UREGEX_DOTALL,
                                             parse_error, status));
  if (U_FAILURE(status)) {
    return c.error(std::string("invalid regular expression: ") + u_errorName(status));
  }
  r.subject = std::make_unique<icu::UnicodeString>(icu::UnicodeString::fromUTF8(subject));
  r.matcher.reset(r.pattern->matcher(*r.subject, status));
  if (U_FAILURE(status)) return c.error(std::string("regular expression: ") + u_errorName(status));
  r.matcher->setTimeLimit(kRegexTimeLimit, status);
  return r;
}

Status regex_test(Call& c, bool full) {
  HEARTH_STRING_ARGS(c, s);
  auto re = compile_regex(c, s.args[0], s.input);
  if (!re.is_ok()) return std::move(re).take_status();
  UErrorCode status = U_ZERO_ERROR;
  bool m = full ? re->matcher->matches(status) : re->matcher->find(0, status);
  if (U_FAILURE(status))
    return c.error(std::string("regular expression failed: ") + u_errorName(status));
  return push_bool(c, m);
}
Status fn_matches(Call& c) {
  return regex_test(c, false);
}
Status fn_matches_full(Call& c) {
  return regex_test(c, true);
}

Status fn_replace_matches(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  if (s.args[0].empty()) return push(c, make_string(std::move(s.input)));
  auto re = compile_regex(c, s.args[0], s.input);
  if (!re.is_ok()) return std::move(re).take_status();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = re->matcher->replaceAll(icu::UnicodeString::fromUTF8(s.args[1]), status);
  if (U_FAILURE(status))
    return c.error(std::string("regular expression failed: ") + u_errorName(status));
  std::string utf8;
  out.toUTF8String(utf8);
  if (utf8.size() > kMaxStringBytes) return c.error("string too long");
  return push(c, make_string(std::move(utf8)));
}

Status fn_length(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  return push(c, make_integer(char_count(s.input)));
}

Status fn_to_chars(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  for (std::string& ch : chars(s.input)) c.out.push_back(make_string(std::move(ch)));
  return Status::ok();
}

Status fn_trim(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  std::size_t b = 0, e = s.input.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s.input[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s.input[e - 1]))) --e;
  return push(c, make_string(s.input.substr(b, e - b)));
}

Status fn_split(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  const std::string& sep = s.args[0];
  if (sep.empty()) {
    for (std::string& ch : chars(s.input)) c.out.push_back(make_string(std::move(ch)));
    return Status::ok();
  }
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = s.input.find(sep, pos);
    c.out.push_back(make_string(s.input.substr(pos, hit == std::string::npos ? hit : hit - pos)));
    if (hit == std::string::npos) break;
    pos = hit + sep.size();
  }
  return Status::ok();
}

Status fn_join(Call& c) {
  std::string sep;
  if (!c.args.empty()) {
    auto a = arg_string(c, 0);
    if (!a.is_ok()) return std::move(a).take_status();
    if (a->has_value()) sep = **a;
  }
  std::string out;
  for (std::size_t i = 0; i < c.input.size(); ++i) {
    auto v = system_value(c.input[i]);
    if (!v || v->kind != ItemKind::kString) return c.error("join() needs strings");
    if (i > 0) out += sep;
    out += v->text;
    if (out.size() > kMaxStringBytes) return c.error("string too long");
  }
  return push(c, make_string(std::move(out)));
}

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in, bool url) {
  std::string out;
  std::size_t i = 0;
  while (i + 2 < in.size() + 2 && i < in.size()) {
    std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    std::size_t n = std::min<std::size_t>(3, in.size() - i);
    if (n > 1) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (n > 2) v |= static_cast<unsigned char>(in[i + 2]);
    for (std::size_t k = 0; k < 4; ++k) {
      if (k <= n) {
        char ch = kBase64[(v >> (18 - 6 * k)) & 63];
        if (url && ch == '+') ch = '-';
        if (url && ch == '/') ch = '_';
        out += ch;
      } else {
        out += '=';
      }
    }
    i += 3;
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char ch : in) {
    if (ch == '=') break;
    if (ch == '-') ch = '+';
    if (ch == '_') ch = '/';
    std::size_t p = kBase64.find(ch);
    if (p == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

Status fn_encode(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  const std::string& f = s.args[0];
  if (f == "base64" || f == "urlbase64")
    return push(c, make_string(base64_encode(s.input, f == "urlbase64")));
  if (f == "hex") {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (char ch : s.input) {
      auto u = static_cast<unsigned char>(ch);
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
    return push(c, make_string(std::move(out)));
  }
  return Status::ok();
}

Status fn_decode(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  const std::string& f = s.args[0];
  if (f == "base64" || f == "urlbase64") {
    auto d = base64_decode(s.input);
    if (d) c.out.push_back(make_string(std::move(*d)));
    return Status::ok();
  }
  if (f == "hex") {
    if (s.input.size() % 2 != 0) return Status::ok();
    std::string out;
    auto nibble = [](char ch) {
      if (ch >= '0' && ch <= '9') return ch - '0';
      if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
      if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
      return -1;
    };
    for (std::size_t i = 0; i < s.input.size(); i += 2) {
      int hi = nibble(s.input[i]), lo = nibble(s.input[i + 1]);
      if (hi < 0 || lo < 0) return Status::ok();  // not hex: no value
      out += static_cast<char>(hi * 16 + lo);
    }
    return push(c, make_string(std::move(out)));
  }
  return Status::ok();
}

Status fn_escape(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  std::string out;
  bool html = s.args[0] == "html";
  for (char ch : s.input) {
    if (html) {
      switch (ch) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += ch;
      }
    } else {
      switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += ch;
      }
    }
  }
  return push(c, make_string(std::move(out)));
}

Status fn_unescape(Call& c) {
  HEARTH_STRING_ARGS(c, s);
  std::string out;
  const std::string& in = s.input;
  if (s.args[0] == "html") {
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}};
    for (std::size_t i = 0; i < in.size();) {
      bool hit = false;
      for (auto [e, ch] : kEntities) {
        if (in.compare(i, e.size(), e) == 0) {
          out += ch;
          i += e.size();
          hit = true;
          break;
        }
      }
      if (!hit) out += in[i++];
    }
  } else {
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '\\' && i + 1 < in.size()) {
        char n = in[++i];
        out += n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n;
      } else {
        out += in[i];
      }
    }
  }
  return push(c, make_string(std::move(out)));
}

constexpr FunctionDef kFunctions[] = {
    {"indexOf", 1, 1, ArgMode::kValues, fn_index_of},
    {"substring", 1, 2, ArgMode::kValues, fn_substring},
    {"startsWith", 1, 1, ArgMode::kValues, fn_starts_with},
    {"endsWith", 1, 1, ArgMode::kValues, fn_ends_with},
    {"contains", 1, 1, ArgMode::kValues, fn_contains},
    {"upper", 0, 0, ArgMode::kValues, fn_upper},
    {"lower", 0, 0, ArgMode::kValues, fn_lower},
    {"replace", 2, 2, ArgMode::kValues, fn_replace},
    {"matches", 1, 1, ArgMode::kValues, fn_matches},
    {"matchesFull", 1, 1, ArgMode::kValues, fn_matches_full},
    {"replaceMatches", 2, 2, ArgMode::kValues, fn_replace_matches},
    {"length", 0, 0, ArgMode::kValues, fn_length},
    {"toChars", 0, 0, ArgMode::kValues, fn_to_chars},
    {"trim", 0, 0, ArgMode::kValues, fn_trim},
    {"split", 1, 1, ArgMode::kValues, fn_split},
    {"join", 0, 1, ArgMode::kValues, fn_join},
    {"encode", 1, 1, ArgMode::kValues, fn_encode},
    {"decode", 1, 1, ArgMode::kValues, fn_decode},
    {"escape", 1, 1, ArgMode::kValues, fn_escape},
    {"unescape", 1, 1, ArgMode::kValues, fn_unescape},
};

}  // namespace

std::span<const FunctionDef> string_functions() {
  return kFunctions;
}

}  // namespace hearth::fhir::fhirpath::detail
