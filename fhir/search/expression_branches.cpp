// Union branches of a FHIRPath expression, split outside parentheses and quotes, kept when they
// can apply to a given resource type.
#include "fhir/search/expression_branches.h"

#include <vector>

namespace hearth::fhir::search::detail {
namespace {

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

// Split at each '|' outside parentheses, brackets and quotes. Not split when a comparison,
// equality, and/or/xor/implies or in/contains stands at top level: that would change the meaning.
std::vector<std::string_view> union_branches(std::string_view expression) {
  std::vector<std::string_view> out;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < expression.size(); ++i) {
    char c = expression[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '`') {
      quote = c;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (depth == 0 && c == '|') {
      out.push_back(expression.substr(start, i - start));
      start = i + 1;
    } else if (depth == 0 && (c == '=' || c == '<' || c == '>' || c == '~' || c == '!')) {
      return {expression};
    } else if (depth == 0 && is_identifier_char(c) &&
               (i == 0 || !is_identifier_char(expression[i - 1]))) {
      std::size_t end = i;
      while (end < expression.size() && is_identifier_char(expression[end])) ++end;
      std::string_view word = expression.substr(i, end - i);
      bool member = i > 0 && expression[i - 1] == '.';
      if (!member && (word == "and" || word == "or" || word == "xor" || word == "implies" ||
                      word == "in" || word == "contains")) {
        return {expression};
      }
      i = end - 1;
    }
  }
  out.push_back(expression.substr(start));
  return out;
}

// `expression` without the union branches that start at another resource type
// ("AllergyIntolerance.code | Condition.code | ..." on a Condition -> " Condition.code "): they
// are empty on this type but most of the evaluation time. "" when no branch applies.
std::string branches_for(const TypeDef* type, std::string_view expression) {
  std::string out;
  for (std::string_view branch : union_branches(expression)) {
    std::size_t i = branch.find_first_not_of(" \t\r\n(");
    std::size_t end = i;
    while (end < branch.size() && is_identifier_char(branch[end])) ++end;
    std::string_view head =
        i == std::string_view::npos ? std::string_view() : branch.substr(i, end - i);
    const TypeDef* head_type = head.empty() ? nullptr : find_type(head);
    if (head_type != nullptr && head_type->kind == TypeKind::kResource &&
        !derives_from(type, head)) {
      continue;
    }
    if (!out.empty()) out += '|';
    out += branch;
  }
  return out;
}

}  // namespace hearth::fhir::search::detail
