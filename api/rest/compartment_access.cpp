// Compartment membership through the store's compartment search, and of a write's own index.
#include "api/rest/compartment_access.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "api/rest/smart_scopes.h"
#include "fhir/model.h"
#include "fhir/search/compartment.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/search_query.h"

namespace hearth::api {
namespace {

constexpr std::size_t kIdsPerSearch = 100;

using Key = std::pair<std::string, std::string>;

// The ids of `ids` (at most kIdsPerSearch, of `type`) in the compartment, added to `members`.
Status find_members(storage::ResourceReader& reader, std::string_view patient,
                    const std::string& type, const std::vector<std::string>& ids,
                    std::set<Key>& members) {
  Result<fhir::search::CompartmentFilter> filter = patient_compartment(patient, type);
  if (!filter.is_ok()) return Status::ok();  // a type outside the compartment: no member
  std::string list;
  for (const std::string& id : ids) list += (list.empty() ? "" : ",") + id;
  fhir::search::SearchLimits limits;
  limits.max_values = kIdsPerSearch;
  HEARTH_ASSIGN_OR_RETURN(fhir::search::SearchQuery query,
                          fhir::search::parse_search(type, {{"_id", list}}, "", false, limits));
  query.compartment = std::move(filter).value();
  query.count = static_cast<int>(ids.size());
  query.total = fhir::search::TotalMode::kNone;
  HEARTH_ASSIGN_OR_RETURN(storage::SearchPage page, reader.search(query));
  for (const storage::ResourceVersion& v : page.entries) members.emplace(v.type, v.id);
  return Status::ok();
}

}  // namespace

Result<fhir::search::CompartmentFilter> patient_compartment(std::string_view patient,
                                                            std::string_view type) {
  HEARTH_ASSIGN_OR_RETURN(fhir::search::CompartmentFilter filter,
                          fhir::search::compartment_filter("Patient", patient, type));
  if (type == "Patient") filter.self = true;
  return filter;
}

std::string held_to_patient(const Request& request, const Route& route) {
  if (request.grant == nullptr) return {};
  Result<Reach> reach = authorize(*request.grant, route);
  if (!reach.is_ok() || *reach != Reach::kPatientCompartment) return {};
  return request.grant->patient;
}

Result<bool> in_patient_compartment(storage::ResourceReader& reader, std::string_view patient,
                                    std::string_view type, std::string_view id) {
  std::set<Key> members;
  HEARTH_RETURN_IF_ERROR(
      find_members(reader, patient, std::string(type), {std::string(id)}, members));
  return !members.empty();
}

Status require_in_patient_compartment(storage::ResourceReader& reader, std::string_view patient,
                                      std::string_view type, std::string_view id) {
  HEARTH_ASSIGN_OR_RETURN(bool member, in_patient_compartment(reader, patient, type, id));
  if (member) return Status::ok();
  return Status(Code::kForbidden, std::string(type) + "/" + std::string(id) +
                                      " is not in the patient compartment the token's patient/ "
                                      "scopes reach");
}

Status require_write_in_patient_compartment(std::string_view patient,
                                            const storage::WriteRequest& write) {
  if (write.type == "Patient" && write.id == patient) return Status::ok();
  const auto params = fhir::compartment_params("Patient", write.type);
  // A compartment parameter's row may be stored as one of its parts' (Observation `subject` as
  // `patient`: fhir::search::drop_rows_held_by_parts), so a part's row counts as its own.
  const auto through_compartment_param = [&](std::string_view code) {
    for (const auto& param : params) {
      if (param == code) return true;
      const auto parts = fhir::search::param_parts(write.type, param);
      if (std::find(parts.begin(), parts.end(), code) != parts.end()) return true;
    }
    return false;
  };
  for (const fhir::search::ReferenceIndex& ref : write.index.references) {
    if (ref.target_type != "Patient" || ref.target_id != patient) continue;
    if (through_compartment_param(ref.param)) return Status::ok();
  }
  return Status(Code::kForbidden,
                write.type + "/" + write.id +
                    " would not be in the patient compartment the token's patient/ scopes reach "
                    "(it must refer to the token's patient through a compartment parameter)");
}

Status keep_in_patient_compartment(storage::ResourceReader& reader, std::string_view patient,
                                   std::vector<storage::ResourceVersion>& resources) {
  std::map<std::string, std::vector<std::string>> by_type;
  for (const storage::ResourceVersion& v : resources) by_type[v.type].push_back(v.id);
  std::set<Key> members;
  for (const auto& [type, ids] : by_type) {
    for (std::size_t from = 0; from < ids.size(); from += kIdsPerSearch) {
      const std::vector<std::string> chunk(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kIdsPerSearch)));
      HEARTH_RETURN_IF_ERROR(find_members(reader, patient, type, chunk, members));
    }
  }
  std::erase_if(resources, [&members](const storage::ResourceVersion& v) {
    return members.count({v.type, v.id}) == 0;
  });
  return Status::ok();
}

}  // namespace hearth::api
