// filter_visible: the type's read permission from the grant, then compartment membership for
// what only patient/ scopes reach.
#include "api/rest/visibility.h"

#include <utility>

#include "api/rest/compartment_access.h"
#include "api/rest/scope_restriction.h"
#include "api/rest/smart_scopes.h"

namespace hearth::api {

Status filter_visible(storage::ResourceReader& reader, const Request& request,
                      std::vector<storage::ResourceVersion>& resources) {
  if (request.grant == nullptr) return Status::ok();
  HEARTH_RETURN_IF_ERROR(keep_matching(reader, request, resources));
  const Grant& grant = *request.grant;
  std::vector<storage::ResourceVersion> kept, held;
  std::vector<bool> is_held;  // per resource of `kept` + `held` in order
  for (storage::ResourceVersion& v : resources) {
    const std::optional<Reach> reach = reach_of_type(grant, v.type);
    if (!reach) continue;
    is_held.push_back(*reach == Reach::kPatientCompartment);
    (is_held.back() ? held : kept).push_back(std::move(v));
  }
  std::vector<storage::ResourceVersion> members = held;
  HEARTH_RETURN_IF_ERROR(keep_in_patient_compartment(reader, grant.patient, members));
  resources.clear();
  std::size_t next_kept = 0, next_held = 0, next_member = 0;
  for (const bool h : is_held) {
    if (!h) {
      resources.push_back(std::move(kept[next_kept++]));
      continue;
    }
    const storage::ResourceVersion& candidate = held[next_held++];
    if (next_member < members.size() && members[next_member].type == candidate.type &&
        members[next_member].id == candidate.id) {
      resources.push_back(std::move(members[next_member++]));
    }
  }
  return Status::ok();
}

}  // namespace hearth::api
