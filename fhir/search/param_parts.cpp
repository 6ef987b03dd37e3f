// param_parts: derived once from the model's search parameters, per resource type.
#include "fhir/search/param_parts.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/expression_branches.h"
#include "fhir/search/index_row_key.h"
#include "fhir/search/index_values.h"
#include "fhir/search/searchable.h"

namespace hearth::fhir::search {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// ".where(...)" with its parentheses closing at the very end (outside quotes).
bool is_where_suffix(std::string_view rest) {
  if (!rest.starts_with(".where(") || rest.back() != ')') return false;
  int depth = 0;
  char quote = 0;
  for (std::size_t i = 6; i < rest.size(); ++i) {
    const char c = rest[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '\'' || c == '`') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i + 1 == rest.size();
    }
  }
  return false;
}

// The elements the string conversion of a HumanName / Address item includes.
bool converted_member(std::string_view type, std::string_view member) {
  static const std::vector<std::string_view> kHumanName = {"family", "given", "prefix", "suffix",
                                                           "text"};
  static const std::vector<std::string_view> kAddress = {
      "line", "city", "district", "state", "postalCode", "country", "text"};
  const auto& names = type == "HumanName" ? kHumanName
                      : type == "Address" ? kAddress
                                          : std::vector<std::string_view>();
  return std::find(names.begin(), names.end(), member) != names.end();
}

// The single type of the element at `path` ("Patient.name" -> HumanName), "" otherwise.
std::string_view element_type(std::string_view path) {
  const ElementDef* element = find_element(path);
  return element != nullptr && element->types.size() == 1 ? element->types[0].code
                                                          : std::string_view();
}

bool is_simple_path(std::string_view expression) {
  return !expression.empty() && expression.find_first_not_of(
                                    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789_.") == std::string_view::npos;
}

// A reference parameter converts a resource item only when its type is one of the parameter's
// targets: a part's targets must all be the umbrella's.
bool targets_within(const SearchParamDef& umbrella, const SearchParamDef& part) {
  if (umbrella.type != SearchParamType::kReference || umbrella.target.empty()) return true;
  return std::all_of(part.target.begin(), part.target.end(), [&](std::string_view t) {
    return std::find(umbrella.target.begin(), umbrella.target.end(), t) != umbrella.target.end();
  });
}

// U = "A | P1 | P2 ...": P's union branches (often just one) are some of U's.
bool is_union_part(std::string_view u, std::string_view p) {
  const std::vector<std::string_view> of_u = detail::union_branches(u);
  const std::vector<std::string_view> of_p = detail::union_branches(p);
  if (of_u.size() <= of_p.size()) return false;
  return std::all_of(of_p.begin(), of_p.end(), [&](std::string_view pb) {
    return std::any_of(of_u.begin(), of_u.end(),
                       [&](std::string_view ub) { return trim(ub) == trim(pb); });
  });
}

bool is_part(const SearchParamDef& umbrella, std::string_view u, const SearchParamDef& part,
             std::string_view p) {
  if (umbrella.type != part.type || u.empty() || p.empty()) return false;
  if (is_union_part(u, p)) return targets_within(umbrella, part);
  if (p.size() <= u.size() || !p.starts_with(u)) return false;
  std::string_view rest = p.substr(u.size());
  if (is_where_suffix(rest)) return targets_within(umbrella, part);
  if (umbrella.type != SearchParamType::kString || !is_simple_path(u) || rest.front() != '.') {
    return false;
  }
  std::string_view member = rest.substr(1);
  return member.find('.') == std::string_view::npos && converted_member(element_type(u), member);
}

using PartsByCode = std::map<std::string_view, std::vector<std::string_view>, std::less<>>;

PartsByCode parts_of_type(std::string_view resource_type) {
  const TypeDef* type = find_type(resource_type);
  std::vector<std::pair<const SearchParamDef*, std::string>> indexed;
  for (const SearchParamDef* param : searchable_params(resource_type)) {
    // A phonetic parameter's rows hold sound-alike keys, not the texts its parts hold.
    if (!is_indexed(*param) || is_phonetic(*param)) continue;
    indexed.emplace_back(param, std::string(trim(detail::branches_for(type, param->expression))));
  }
  PartsByCode out;
  for (const auto& [umbrella, u] : indexed) {
    for (const auto& [part, p] : indexed) {
      if (part != umbrella && is_part(*umbrella, u, *part, p)) {
        out[umbrella->code].push_back(part->code);
      }
    }
  }
  for (auto& [code, parts] : out) std::sort(parts.begin(), parts.end());
  return out;
}

const PartsByCode* parts_table(std::string_view resource_type) {
  static const std::map<std::string_view, PartsByCode, std::less<>> table = [] {
    std::map<std::string_view, PartsByCode, std::less<>> t;
    for (std::string_view type : resource_types()) {
      PartsByCode parts = parts_of_type(type);
      if (!parts.empty()) t.emplace(type, std::move(parts));
    }
    return t;
  }();
  auto type = table.find(resource_type);
  return type == table.end() ? nullptr : &type->second;
}

// The rows of one table: those of a parameter that is a part of another are sorted by value;
// each row of an umbrella looks for its values among them.
template <typename Row>
void drop_held(const PartsByCode& parts, std::vector<Row>& rows) {
  if (rows.size() < 2) return;
  const auto parts_of = [&](std::string_view code) -> const std::vector<std::string_view>* {
    auto it = parts.find(code);
    return it == parts.end() ? nullptr : &it->second;
  };
  // Rows of one parameter are contiguous (extract_index appends them parameter by parameter), so
  // the lookups run once per parameter, not per row.
  std::vector<const std::vector<std::string_view>*> umbrella(rows.size(), nullptr);
  bool any_umbrella = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    umbrella[i] =
        i > 0 && rows[i].param == rows[i - 1].param ? umbrella[i - 1] : parts_of(rows[i].param);
    any_umbrella = any_umbrella || umbrella[i] != nullptr;
  }
  if (!any_umbrella) return;
  std::vector<std::string_view> part_codes;
  for (const auto* p : umbrella) {
    if (p != nullptr) part_codes.insert(part_codes.end(), p->begin(), p->end());
  }
  std::sort(part_codes.begin(), part_codes.end());
  std::vector<std::size_t> part_rows;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (std::binary_search(part_codes.begin(), part_codes.end(), rows[i].param)) {
      part_rows.push_back(i);
    }
  }
  if (part_rows.empty()) return;
  const auto by_value = [&](std::size_t a, std::size_t b) {
    return detail::row_key(rows[a]) < detail::row_key(rows[b]);
  };
  std::sort(part_rows.begin(), part_rows.end(), by_value);
  std::vector<bool> held(rows.size(), false);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (umbrella[i] == nullptr) continue;
    const auto [first, last] =
        std::equal_range(part_rows.begin(), part_rows.end(), i,
                         [&](std::size_t a, std::size_t b) { return by_value(a, b); });
    held[i] = std::any_of(first, last, [&](std::size_t j) {
      return j != i && rows[j].param != rows[i].param &&
             std::binary_search(umbrella[i]->begin(), umbrella[i]->end(), rows[j].param);
    });
  }
  std::size_t out = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (held[i]) continue;
    if (out != i) rows[out] = std::move(rows[i]);
    ++out;
  }
  rows.resize(out);
}

}  // namespace

std::span<const std::string_view> param_parts(std::string_view resource_type,
                                              std::string_view code) {
  const PartsByCode* parts = parts_table(resource_type);
  if (parts == nullptr) return {};
  auto it = parts->find(code);
  if (it == parts->end()) return {};
  return it->second;
}

void drop_rows_held_by_parts(std::string_view resource_type, IndexValues& values) {
  const PartsByCode* parts = parts_table(resource_type);
  if (parts == nullptr) return;
  drop_held(*parts, values.strings);
  drop_held(*parts, values.tokens);
  drop_held(*parts, values.dates);
  drop_held(*parts, values.numbers);
  drop_held(*parts, values.quantities);
  drop_held(*parts, values.references);
  drop_held(*parts, values.uris);
}

}  // namespace hearth::fhir::search
