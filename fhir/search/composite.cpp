// composite_components: each composite SearchParameter's component definitions resolved to
// the generated parameters once per process.
#include "fhir/search/composite.h"

#include <unordered_map>
#include <vector>

namespace hearth::fhir::search {
namespace {

bool component_type_ok(SearchParamType type) {
  switch (type) {
    case SearchParamType::kString:
    case SearchParamType::kToken:
    case SearchParamType::kDate:
    case SearchParamType::kNumber:
    case SearchParamType::kQuantity:
    case SearchParamType::kReference: return true;
    default: return false;
  }
}

using Table = std::unordered_map<const SearchParamDef*, std::vector<const SearchParamDef*>>;

Table build() {
  Table table;
  for (const SearchParamDef& param : search_params()) {
    if (param.type != SearchParamType::kComposite || param.components.empty()) continue;
    std::vector<const SearchParamDef*> parts;
    for (const SearchParamComponent& c : param.components) {
      const SearchParamDef* part = find_search_param_by_url(c.definition);
      if (part == nullptr || !component_type_ok(part->type) || c.expression.empty()) {
        parts.clear();
        break;
      }
      parts.push_back(part);
    }
    if (!parts.empty()) table.emplace(&param, std::move(parts));
  }
  return table;
}

// The corrected component expressions (see composite_expression).
struct Correction {
  std::string_view param_id;
  std::size_t index;
  std::string_view expression;
};
constexpr Correction kCorrections[] = {
    {"Observation-code-value-date", 1, "value.as(dateTime) | value.as(Period)"},
    {"DocumentReference-relationship", 0, "target"},
    {"DocumentReference-relationship", 1, "code"},
};

}  // namespace

std::string_view composite_expression(const SearchParamDef& param, std::size_t index) {
  for (const Correction& c : kCorrections) {
    if (c.param_id == param.id && c.index == index) return c.expression;
  }
  return param.components[index].expression;
}

std::span<const SearchParamDef* const> composite_components(const SearchParamDef& param) {
  static const Table table = build();
  auto it = table.find(&param);
  if (it == table.end()) return {};
  return it->second;
}

}  // namespace hearth::fhir::search
