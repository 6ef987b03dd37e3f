// Lookups over the generated constraint tables: the entries of one type are found once through
// a table of every element of every type, built on first use.
#include "fhir/constraint.h"

#include <vector>

#include "fhir/model_tables.h"

namespace hearth::fhir {
namespace {

// For each element of each type (types in all_types() order, each type's elements in order),
// its entry of kElementConstraints plus one, or 0 when it declares none; `first[t]` is where type
// t's elements start. record_site asks for every object and complex value the validator meets
// (about 3,000 times per mapped ORU^R01): one index, not a scan of the type's entries.
struct ElementEntries {
  std::vector<std::uint32_t> first;
  std::vector<std::uint32_t> entry;
};

const ElementEntries& element_entries() {
  static const ElementEntries table = [] {
    ElementEntries out;
    std::span<const TypeDef> types = all_types();
    out.first.reserve(types.size() + 1);
    std::size_t total = 0;
    for (const TypeDef& t : types) {
      out.first.push_back(static_cast<std::uint32_t>(total));
      total += t.elements.size();
    }
    out.first.push_back(static_cast<std::uint32_t>(total));
    out.entry.assign(total, 0);
    for (std::size_t e = 0; e < detail::kElementConstraints.size(); ++e) {
      const auto& c = detail::kElementConstraints[e];
      if (c.type_index >= types.size() || c.element >= types[c.type_index].elements.size())
        continue;
      const std::size_t slot = out.first[c.type_index] + c.element;
      // The first entry of an element wins, as the scan this replaced found it first.
      if (out.entry[slot] == 0) out.entry[slot] = static_cast<std::uint32_t>(e + 1);
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
  const ElementEntries& table = element_entries();
  const std::size_t t = static_cast<std::size_t>(&type - all_types().data());
  const std::size_t slot = table.first[t] + element;
  if (slot >= table.first[t + 1]) return {};
  const std::uint32_t e = table.entry[slot];
  return e == 0 ? std::span<const ConstraintDef>() : detail::kElementConstraints[e - 1].constraints;
}

}  // namespace hearth::fhir
