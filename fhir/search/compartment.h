// Compartment search (GET [base]/Patient/1/Observation): which reference parameters put a
// resource of one type in another resource's compartment, read from the official
// CompartmentDefinitions (generated tables, never typed by hand).
#pragma once

#include <string_view>

#include "core/status.h"
#include "fhir/search/search_query.h"

namespace hearth::fhir::search {

// The compartments there are (Device, Encounter, Patient, Practitioner, RelatedPerson).
bool is_compartment(std::string_view type);

// The filter of `compartment`/`id` for searches of `resource_type`. Parameters the index does
// not answer are left out. Errors: kNotFound when `compartment` is not a compartment;
// kInvalidArgument when `resource_type` is not in it (the message says so).
Result<CompartmentFilter> compartment_filter(std::string_view compartment, std::string_view id,
                                             std::string_view resource_type);

}  // namespace hearth::fhir::search
