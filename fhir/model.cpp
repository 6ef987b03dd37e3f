// Lookups over the generated tables: a hash map of type names, binary searches over the other
// sorted arrays, linear scans over an element's direct children (a few dozen at most).
#include "fhir/model.h"

#include <algorithm>
#include <type_traits>
#include <unordered_map>

#include "fhir/model_tables.h"

namespace hearth::fhir {
bool is_capitalised(std::string_view suffix, std::string_view code) {
  if (suffix.size() != code.size() || code.empty()) return false;
  char first = code[0];
  if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 'a' + 'A');
  return suffix[0] == first && suffix.substr(1) == code.substr(1);
}

std::span<const TypeDef> all_types() {
  return detail::kTypes;
}

// A hash map, not a binary search: FHIRPath type tests and navigation look types up by name
// several times per element, which made the search over ~900 names a visible share of indexing.
const TypeDef* find_type(std::string_view name) {
  static const std::unordered_map<std::string_view, const TypeDef*> by_name = [] {
    std::unordered_map<std::string_view, const TypeDef*> map;
    map.reserve(detail::kTypes.size());
    for (const TypeDef& t : detail::kTypes) map.emplace(t.name, &t);
    return map;
  }();
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

std::span<const std::string_view> resource_types() {
  return detail::kResourceTypes;
}

bool is_resource_type(std::string_view name) {
  return std::binary_search(detail::kResourceTypes.begin(), detail::kResourceTypes.end(), name);
}

std::uint32_t resolve_content_reference(const TypeDef& type, std::uint32_t index) {
  std::int32_t ref = type.elements[index].content_ref_index;
  return ref >= 0 ? static_cast<std::uint32_t>(ref) : index;
}

ChildMatch find_child(const TypeDef& type, std::uint32_t parent, std::string_view json_name) {
  for (std::uint32_t i : children(type, parent)) {
    const ElementDef& e = type.elements[i];
    if (!e.is_choice()) {
      if (e.name == json_name) {
        return ChildMatch{static_cast<std::int32_t>(i), e.types.empty() ? nullptr : &e.types[0]};
      }
      continue;
    }
    std::string_view prefix = e.name.substr(0, e.name.size() - 3);  // drop "[x]"
    if (!json_name.starts_with(prefix)) continue;
    std::string_view suffix = json_name.substr(prefix.size());
    for (const TypeRef& t : e.types) {
      if (is_capitalised(suffix, t.code)) return ChildMatch{static_cast<std::int32_t>(i), &t};
    }
  }
  return ChildMatch{};
}

const ElementDef* find_element(std::string_view full_path) {
  std::string_view type_name = full_path.substr(0, full_path.find('.'));
  const TypeDef* type = find_type(type_name);
  if (type == nullptr) return nullptr;
  std::uint32_t current = 0;
  std::string_view rest = full_path.substr(type_name.size());
  while (!rest.empty()) {
    rest.remove_prefix(1);  // '.'
    std::string_view segment = rest.substr(0, rest.find('.'));
    rest.remove_prefix(segment.size());
    std::uint32_t parent = resolve_content_reference(*type, current);
    bool found = false;
    for (std::uint32_t i : children(*type, parent)) {
      if (type->elements[i].name == segment) {
        current = i;
        found = true;
        break;
      }
    }
    if (!found) return nullptr;
  }
  return &type->elements[current];
}

std::span<const SearchParamDef> search_params() {
  return detail::kSearchParams;
}
std::span<const SearchParamEntry> search_param_index() {
  return detail::kSearchParamIndex;
}

std::span<const SearchParamEntry> search_params_for(std::string_view resource_type) {
  auto range = std::equal_range(
      detail::kSearchParamIndex.begin(), detail::kSearchParamIndex.end(), resource_type,
      [](const auto& a, const auto& b) {
        if constexpr (std::is_same_v<std::decay_t<decltype(a)>, SearchParamEntry>) {
          return a.resource_type < b;
        } else {
          return a < b.resource_type;
        }
      });
  return {range.first, range.second};
}

bool derives_from(const TypeDef* type, std::string_view base) {
  for (; type != nullptr; type = type->base.empty() ? nullptr : find_type(type->base)) {
    if (type->name == base) return true;
  }
  return false;
}

const SearchParamDef* find_search_param(std::string_view resource_type, std::string_view code) {
  for (const TypeDef* type = find_type(resource_type); type != nullptr;
       type = type->base.empty() ? nullptr : find_type(type->base)) {
    for (const SearchParamEntry& e : search_params_for(type->name)) {
      if (e.code == code) return e.param;
    }
  }
  return nullptr;
}

const SearchParamDef* find_search_param_by_url(std::string_view url) {
  for (const SearchParamDef& p : detail::kSearchParams) {
    if (p.url == url) return &p;
  }
  return nullptr;
}

std::span<const CompartmentEntry> compartment_entries() {
  return detail::kCompartments;
}

std::span<const std::string_view> compartment_params(std::string_view compartment,
                                                     std::string_view resource_type) {
  auto it = std::lower_bound(detail::kCompartments.begin(), detail::kCompartments.end(),
                             std::pair(compartment, resource_type),
                             [](const CompartmentEntry& e, const auto& key) {
                               return std::pair(e.compartment, e.resource_type) < key;
                             });
  if (it == detail::kCompartments.end() || it->compartment != compartment ||
      it->resource_type != resource_type) {
    return {};
  }
  return it->params;
}

}  // namespace hearth::fhir
