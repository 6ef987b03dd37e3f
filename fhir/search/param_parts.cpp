// param_parts: derived once from the model's search parameters, per resource type.
#include "fhir/search/param_parts.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/composite.h"
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

// Two composites group alike: the same number of components, each read by the same expression
// (composite_expression) and converted alike (the same type; for references, the part's targets
// within the umbrella's). Without it a composite over the same elements holds other values
// (code-value-concept and code-value-quantity both select the Observation itself).
bool same_components(const SearchParamDef& umbrella, const SearchParamDef& part) {
  const std::span<const SearchParamDef* const> u = composite_components(umbrella);
  const std::span<const SearchParamDef* const> p = composite_components(part);
  if (u.empty() || u.size() != p.size()) return false;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (u[i]->type != p[i]->type || !targets_within(*u[i], *p[i]) ||
        trim(composite_expression(umbrella, i)) != trim(composite_expression(part, i))) {
      return false;
    }
  }
  return true;
}

bool is_part(const SearchParamDef& umbrella, std::string_view u, const SearchParamDef& part,
             std::string_view p) {
  if (umbrella.type != part.type || u.empty() || p.empty()) return false;
  if (umbrella.type == SearchParamType::kComposite && !same_components(umbrella, part)) {
    return false;
  }
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

// One resource type's umbrellas: each with its parts, and those of them whose rows their parts
// hold all of (held_by_parts), sorted.
struct TypeParts {
  PartsByCode parts;
  std::vector<std::string_view> held;
};

// Does `part` (expression `p`) hold every row `umbrella` gives from its union branch `branch`?
// Only a union part does, whose branches include `branch` and which converts every value the
// umbrella does (for references: the umbrella's targets within the part's; for composites the
// same components both ways).
bool holds_branch(const SearchParamDef& umbrella, const SearchParamDef& part, std::string_view p,
                  std::string_view branch) {
  const std::vector<std::string_view> of_p = detail::union_branches(p);
  const bool has = std::any_of(of_p.begin(), of_p.end(),
                               [&](std::string_view pb) { return trim(pb) == trim(branch); });
  if (!has || !targets_within(part, umbrella)) return false;
  return umbrella.type != SearchParamType::kComposite || same_components(part, umbrella);
}

TypeParts parts_of_type(std::string_view resource_type) {
  const TypeDef* type = find_type(resource_type);
  std::vector<std::pair<const SearchParamDef*, std::string>> indexed;
  for (const SearchParamDef* param : searchable_params(resource_type)) {
    // A phonetic parameter's rows hold sound-alike keys, not the texts its parts hold.
    if (!is_indexed(*param) || is_phonetic(*param)) continue;
    indexed.emplace_back(param, std::string(trim(detail::branches_for(type, param->expression))));
  }
  TypeParts out;
  for (const auto& [umbrella, u] : indexed) {
    std::vector<std::pair<const SearchParamDef*, std::string_view>> parts;
    for (const auto& [part, p] : indexed) {
      if (part != umbrella && is_part(*umbrella, u, *part, p)) {
        out.parts[umbrella->code].push_back(part->code);
        parts.emplace_back(part, p);
      }
    }
    if (parts.empty()) continue;
    const std::vector<std::string_view> branches = detail::union_branches(u);
    // A structured binding is not captured by a lambda before C++20's P1091 (clang 14).
    const SearchParamDef& whole = *umbrella;
    const bool held = std::all_of(branches.begin(), branches.end(), [&](std::string_view b) {
      return std::any_of(parts.begin(), parts.end(), [&](const auto& part) {
        return holds_branch(whole, *part.first, part.second, b);
      });
    });
    if (held) out.held.push_back(umbrella->code);
  }
  for (auto& [code, parts] : out.parts) std::sort(parts.begin(), parts.end());
  std::sort(out.held.begin(), out.held.end());
  return out;
}

const TypeParts* parts_table(std::string_view resource_type) {
  static const std::map<std::string_view, TypeParts, std::less<>> table = [] {
    std::map<std::string_view, TypeParts, std::less<>> t;
    for (std::string_view type : resource_types()) {
      TypeParts parts = parts_of_type(type);
      if (!parts.parts.empty()) t.emplace(type, std::move(parts));
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
  const TypeParts* parts = parts_table(resource_type);
  if (parts == nullptr) return {};
  auto it = parts->parts.find(code);
  if (it == parts->parts.end()) return {};
  return it->second;
}

bool held_by_parts(std::string_view resource_type, std::string_view code) {
  const TypeParts* parts = parts_table(resource_type);
  return parts != nullptr && std::binary_search(parts->held.begin(), parts->held.end(), code);
}

void drop_rows_held_by_parts(std::string_view resource_type, IndexValues& values) {
  const TypeParts* type_parts = parts_table(resource_type);
  if (type_parts == nullptr) return;
  const PartsByCode* parts = &type_parts->parts;
  // A composite's groups are not matched row by row: an umbrella's are dropped only when its
  // parts hold every one of them (held_by_parts).
  std::erase_if(values.composites, [&](const CompositeIndex& r) {
    return std::binary_search(type_parts->held.begin(), type_parts->held.end(), r.param);
  });
  drop_held(*parts, values.strings);
  drop_held(*parts, values.tokens);
  drop_held(*parts, values.dates);
  drop_held(*parts, values.numbers);
  drop_held(*parts, values.quantities);
  drop_held(*parts, values.references);
  drop_held(*parts, values.uris);
}

}  // namespace hearth::fhir::search
