// ConceptMap/$translate over the generated tables; see concept_map.h. Forward lookups binary
// search each group's mappings by source code; reverse ones scan (the largest map has a few
// hundred mappings).
#include "fhir/terminology/concept_map.h"

#include <algorithm>
#include <type_traits>

#include "fhir/terminology/tables.h"

namespace hearth::fhir::terminology {

std::span<const ConceptMap> concept_maps() {
  return detail::kConceptMaps;
}

const ConceptMap* find_concept_map(std::string_view url) {
  url = url.substr(0, url.find('|'));
  auto it = std::lower_bound(detail::kConceptMaps.begin(), detail::kConceptMaps.end(), url,
                             [](const ConceptMap& m, std::string_view u) { return m.url < u; });
  return it != detail::kConceptMaps.end() && it->url == url ? &*it : nullptr;
}

std::vector<TranslateMatch> translate(const TranslateQuery& q) {
  std::vector<const ConceptMap*> maps;
  for (const ConceptMap& map : detail::kConceptMaps) maps.push_back(&map);
  return translate(q, maps);
}

std::vector<TranslateMatch> translate(const TranslateQuery& q,
                                      std::span<const ConceptMap* const> maps) {
  std::vector<TranslateMatch> out;
  auto strip = [](std::string_view s) { return s.substr(0, s.find('|')); };
  for (const ConceptMap* map_ptr : maps) {
    const ConceptMap& map = *map_ptr;
    if (!q.url.empty() && map.url != strip(q.url)) continue;
    std::string_view from_vs = q.reverse ? map.target : map.source;
    std::string_view to_vs = q.reverse ? map.source : map.target;
    if (!q.source.empty() && from_vs != strip(q.source)) continue;
    if (!q.target.empty() && to_vs != strip(q.target)) continue;
    for (const ConceptMapGroup& g : map.groups) {
      std::string_view from = q.reverse ? g.target : g.source;
      std::string_view to = q.reverse ? g.source : g.target;
      if (from != q.system) continue;
      if (!q.target_system.empty() && to != q.target_system) continue;
      if (!q.reverse) {
        auto [first, last] = std::equal_range(
            g.mappings.begin(), g.mappings.end(), q.code, [](const auto& a, const auto& b) {
              if constexpr (std::is_same_v<std::decay_t<decltype(a)>, Mapping>) {
                return a.source_code < b;
              } else {
                return a < b.source_code;
              }
            });
        for (auto it = first; it != last; ++it) {
          out.push_back({&map, it->equivalence, to, it->target_code, it->target_display});
        }
        continue;
      }
      for (const Mapping& m : g.mappings) {
        if (m.target_code == q.code) {
          out.push_back({&map, m.equivalence, to, m.source_code, {}});
        }
      }
    }
  }
  return out;
}

}  // namespace hearth::fhir::terminology
