// Lookups over the generated value set tables; see value_set_compose.h.
#include "fhir/terminology/value_set_compose.h"

#include <algorithm>

#include "fhir/terminology/tables.h"

namespace hearth::fhir::terminology {

std::string_view code_of(const ComposeConcept& c) {
  return detail::text(c.code);
}

std::string_view display_of(const ComposeConcept& c) {
  return detail::text(c.display);
}

std::span<const ValueSet> value_set_composes() {
  return detail::kValueSets;
}

const ValueSet* find_value_set_compose(std::string_view url) {
  url = url.substr(0, url.find('|'));
  auto it = std::lower_bound(detail::kValueSets.begin(), detail::kValueSets.end(), url,
                             [](const ValueSet& vs, std::string_view u) { return vs.url < u; });
  return it != detail::kValueSets.end() && it->url == url ? &*it : nullptr;
}

}  // namespace hearth::fhir::terminology
