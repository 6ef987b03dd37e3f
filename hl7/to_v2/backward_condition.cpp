// A small hand parser: the tests are split at top-level " AND ", each read left to right.
#include "hl7/to_v2/backward_condition.h"

#include <cctype>

namespace hearth::hl7::to_v2 {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool consume(std::string_view& s, std::string_view keyword) {
  s = trim(s);
  if (s.size() < keyword.size() || upper(s.substr(0, keyword.size())) != keyword) return false;
  if (s.size() > keyword.size() && std::isalnum(static_cast<unsigned char>(s[keyword.size()]))) {
    return false;
  }
  s.remove_prefix(keyword.size());
  return true;
}

// "a" or ("a", "b"): the quoted values; nullopt for anything else.
std::optional<std::vector<std::string>> values_of(std::string_view s) {
  s = trim(s);
  const bool list = !s.empty() && s.front() == '(';
  if (list) {
    if (s.back() != ')') return std::nullopt;
    s = s.substr(1, s.size() - 2);
  }
  std::vector<std::string> out;
  while (!(s = trim(s)).empty()) {
    if (s.front() != '"') return std::nullopt;
    const std::size_t end = s.find('"', 1);
    if (end == std::string_view::npos) return std::nullopt;
    out.emplace_back(s.substr(1, end - 1));
    s.remove_prefix(end + 1);
    s = trim(s);
    if (!s.empty()) {
      if (!list || s.front() != ',') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (out.empty() || (!list && out.size() != 1)) return std::nullopt;
  return out;
}

std::optional<BackwardTest> compile_test(std::string_view s) {
  consume(s, "IF");
  s = trim(s);
  BackwardTest test;
  const std::size_t space = s.find(' ');
  if (space != std::string_view::npos && to_fhir::parse_value_ref(s.substr(0, space), test.ref)) {
    s.remove_prefix(space);
  }
  consume(s, "IS");
  const bool negated = consume(s, "NOT");
  if (consume(s, "VALUED")) {
    if (!trim(s).empty()) return std::nullopt;
    test.kind = negated ? BackwardTest::Kind::kNotValued : BackwardTest::Kind::kValued;
    return test;
  }
  if (test.ref.owner.empty()) return std::nullopt;  // only VALUED tests may leave it out
  if (!consume(s, "EQUALS") && !consume(s, "IN")) consume(s, "=");
  std::optional<std::vector<std::string>> values = values_of(s);
  if (!values) return std::nullopt;
  test.values = std::move(*values);
  test.kind = negated ? BackwardTest::Kind::kNotIn : BackwardTest::Kind::kIn;
  return test;
}

}  // namespace

std::optional<std::vector<BackwardTest>> compile_backward(std::string_view text) {
  std::vector<BackwardTest> out;
  text = trim(text);
  if (text.empty()) return out;
  // Split at " AND " outside quotes and parentheses; refuse OR and grouping parentheses.
  std::size_t start = 0;
  bool quoted = false;
  int depth = 0;
  const std::string up = upper(text);
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size()) {
      const char c = text[i];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (depth == 0 && up.compare(i, 4, " OR ") == 0) return std::nullopt;
      if (depth != 0 || up.compare(i, 5, " AND ") != 0) continue;
    }
    std::string_view part = text.substr(start, i - start);
    // A '(' that opens the test rather than an IN list: grouping, not computed backwards.
    const std::string_view trimmed = trim(part);
    if (!trimmed.empty() && trimmed.front() == '(') return std::nullopt;
    std::optional<BackwardTest> test = compile_test(part);
    if (!test) return std::nullopt;
    out.push_back(std::move(*test));
    start = i + 5;
  }
  return out;
}

}  // namespace hearth::hl7::to_v2
