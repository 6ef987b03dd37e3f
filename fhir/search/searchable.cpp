#include "fhir/search/searchable.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "fhir/search/full_text.h"
#include "fhir/search/index_values.h"

namespace hearth::fhir::search {
namespace {

using Table = std::map<std::string, std::vector<const SearchParamDef*>, std::less<>>;

// Every concrete type's parameters, and Resource's own (those of a system search).
Table build() {
  Table table;
  std::vector<std::string_view> types(resource_types().begin(), resource_types().end());
  types.emplace_back("Resource");
  for (std::string_view type : types) {
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
  return param.code == "_id" || param.code == "_lastUpdated" || is_indexed(param) ||
         is_full_text(param);
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

namespace {

using Values = std::map<std::string, std::vector<std::string>, std::less<>>;

Values build_includes() {
  Values out;
  for (std::string_view type : resource_types()) {
    std::vector<std::string>& values = out[std::string(type)];
    for (const SearchParamDef* param : searchable_params(type)) {
      if (is_searchable_reference(*param)) {
        values.push_back(std::string(type) + ":" + std::string(param->code));
      }
    }
    values.emplace_back("*");
  }
  return out;
}

// One pass over every type's reference parameters, each appended to the lists of the types it
// may point at: sources come in sorted order, so each list is sorted by source, then code.
Values build_revincludes() {
  Values out;
  std::vector<std::vector<std::string>*> all;
  for (std::string_view type : resource_types()) all.push_back(&out[std::string(type)]);
  for (std::string_view source : resource_types()) {
    for (const SearchParamDef* param : searchable_params(source)) {
      if (!is_searchable_reference(*param)) continue;
      const std::string value = std::string(source) + ":" + std::string(param->code);
      if (param->target.empty()) {
        for (std::vector<std::string>* values : all) values->push_back(value);
        continue;
      }
      for (std::string_view target : param->target) {
        auto it = out.find(target);
        if (it != out.end()) it->second.push_back(value);
      }
    }
  }
  for (std::vector<std::string>* values : all) values->emplace_back("*");
  return out;
}

std::span<const std::string> find_values(const Values& values, std::string_view type) {
  auto it = values.find(type);
  if (it == values.end()) return {};
  return it->second;
}

}  // namespace

std::span<const std::string> include_values(std::string_view resource_type) {
  static const Values values = build_includes();
  return find_values(values, resource_type);
}

std::span<const std::string> revinclude_values(std::string_view resource_type) {
  static const Values values = build_revincludes();
  return find_values(values, resource_type);
}

}  // namespace hearth::fhir::search
