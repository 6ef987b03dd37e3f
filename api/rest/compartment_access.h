// Holding a request to its bearer's patient compartment: what SMART patient/ scopes reach
// (smart_scopes.h, Reach::kPatientCompartment). Membership is the official Patient
// CompartmentDefinition (fhir/search/compartment.h) answered by the store's search index, so
// a read, an include and a search decide it the same way a compartment search does; a write's
// new body is judged by its own extracted index values before it is stored.
//
// Membership is that of the current version: a resource whose subject changed is reached
// through its present patient only (its history with it).
//
// Thread-safety: pure functions over the reader they are given.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "api/rest/route.h"
#include "core/status.h"
#include "fhir/search/search_query.h"
#include "storage/resource_store.h"

namespace hearth::api {

// The patient `request` is held to on `route`: "" when it is not held (no grant, a grant that
// reaches every resource of the type, or a route its grant does not allow at all: the
// authorize stage has refused that one already).
std::string held_to_patient(const Request& request, const Route& route);

// The search filter of Patient/`patient`'s compartment for `type`: the official definition's
// parameters, and for Patient the patient itself (the definition lists only `link` there).
// Errors: kInvalidArgument for a type outside the compartment.
Result<fhir::search::CompartmentFilter> patient_compartment(std::string_view patient,
                                                            std::string_view type);

// Is the current version of type/id in Patient/`patient`'s compartment? False for a type
// outside the compartment, and for a resource that is absent or deleted. Errors: the reader's.
Result<bool> in_patient_compartment(storage::ResourceReader& reader, std::string_view patient,
                                    std::string_view type, std::string_view id);

// kForbidden (naming type/id, not the patient) unless in_patient_compartment.
Status require_in_patient_compartment(storage::ResourceReader& reader, std::string_view patient,
                                      std::string_view type, std::string_view id);

// May a write that would store `write` stay in Patient/`patient`'s compartment? Its index
// values must name Patient/`patient` through one of the type's compartment parameters, or it
// is that Patient itself. Errors: kForbidden.
Status require_write_in_patient_compartment(std::string_view patient,
                                            const storage::WriteRequest& write);

// Removes from `resources`, in place and keeping the order, those not in Patient/`patient`'s
// compartment: one store search per type and 100 ids. Errors: the reader's.
Status keep_in_patient_compartment(storage::ResourceReader& reader, std::string_view patient,
                                   std::vector<storage::ResourceVersion>& resources);

}  // namespace hearth::api
