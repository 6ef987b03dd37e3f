// compartment_filter: the official CompartmentDefinitions (generated tables) -> the reference
// parameters that put a resource of one type in another resource's compartment.
#include "fhir/search/compartment.h"

#include <string>

#include "fhir/model.h"
#include "fhir/search/searchable.h"

namespace hearth::fhir::search {

bool is_compartment(std::string_view type) {
  for (const CompartmentEntry& entry : compartment_entries()) {
    if (entry.compartment == type) return true;
  }
  return false;
}

Result<CompartmentFilter> compartment_filter(std::string_view compartment, std::string_view id,
                                             std::string_view resource_type) {
  if (!is_compartment(compartment)) {
    return Status(Code::kNotFound, std::string(compartment) +
                                       " is not a compartment (Patient, "
                                       "Encounter, RelatedPerson, Practitioner or Device)");
  }
  CompartmentFilter out;
  out.type = std::string(compartment);
  out.id = std::string(id);
  for (std::string_view code : compartment_params(compartment, resource_type)) {
    if (code == "{def}") {
      out.self = true;
      continue;
    }
    const SearchParamDef* param = find_search_param(resource_type, code);
    if (param != nullptr && is_searchable_reference(*param)) out.params.push_back(param);
  }
  if (out.params.empty() && !out.self) {
    return Status(Code::kInvalidArgument, std::string(resource_type) + " is not in the " +
                                              std::string(compartment) + " compartment");
  }
  return out;
}

}  // namespace hearth::fhir::search
