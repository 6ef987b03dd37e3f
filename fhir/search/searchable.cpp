#include "fhir/search/searchable.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "fhir/search/index_values.h"

namespace hearth::fhir::search {
namespace {

using Table = std::map<std::string, std::vector<const SearchParamDef*>, std::less<>>;

Table build() {
  Table table;
  for (std::string_view type : resource_types()) {
    std::vector<const SearchParamDef*>& params = table[std::string(type)];
    for (const TypeDef* t = find_type(type); t != nullptr;
         t = t->base.empty() ? nullptr : find_type(t->base)) {
      for (const SearchParamEntry& entry : search_params_for(t->name)) {
        const bool shadowed =
            std::any_of(params.begin(), params.end(),
                        [&](const SearchParamDef* p) { return p->code == entry.code; });
        if (!shadowed && is_searchable(*entry.param)) params.push_back(entry.param);
      }
    }
    std::sort(params.begin(), params.end(),
              [](const SearchParamDef* a, const SearchParamDef* b) { return a->code < b->code; });
  }
  return table;
}

}  // namespace

bool is_searchable(const SearchParamDef& param) {
  return param.code == "_id" || param.code == "_lastUpdated" || is_indexed(param);
}

std::span<const SearchParamDef* const> searchable_params(std::string_view resource_type) {
  static const Table table = build();
  auto it = table.find(resource_type);
  if (it == table.end()) return {};
  return it->second;
}

bool is_searchable_reference(const SearchParamDef& param) {
  return param.type == SearchParamType::kReference && is_searchable(param);
}

}  // namespace hearth::fhir::search
