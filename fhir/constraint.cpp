// Lookups over the generated constraint tables: the entries of one type are found once through
// a per-type offset table built on first use, then scanned (a type declares few).
#include "fhir/constraint.h"

#include <vector>

#include "fhir/model_tables.h"

namespace hearth::fhir {
namespace {

// For each type index t, the first entry of kElementConstraints with type_index >= t; one more
// item at the end.
const std::vector<std::uint32_t>& first_entries() {
  static const std::vector<std::uint32_t> table = [] {
    std::size_t types = all_types().size();
    std::vector<std::uint32_t> out(types + 1);
    std::size_t e = 0;
    for (std::size_t t = 0; t <= types; ++t) {
      while (e < detail::kElementConstraints.size() &&
             detail::kElementConstraints[e].type_index < t) {
        ++e;
      }
      out[t] = static_cast<std::uint32_t>(e);
    }
    return out;
  }();
  return table;
}

}  // namespace

std::span<const ConstraintDef> all_constraints() {
  return detail::kConstraints;
}

std::span<const ConstraintDef> constraints_of(const TypeDef& type, std::uint32_t element) {
  std::size_t t = static_cast<std::size_t>(&type - all_types().data());
  const std::vector<std::uint32_t>& first = first_entries();
  for (std::uint32_t e = first[t]; e < first[t + 1]; ++e) {
    if (detail::kElementConstraints[e].element == element) {
      return detail::kElementConstraints[e].constraints;
    }
  }
  return {};
}

}  // namespace hearth::fhir
