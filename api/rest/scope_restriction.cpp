// A restriction becomes search clauses once, through the same parser as a client's query.
#include "api/rest/scope_restriction.h"

#include <map>
#include <set>
#include <utility>

#include "api/rest/compartment_access.h"

namespace hearth::api {
namespace {

constexpr std::size_t kIdsPerSearch = 100;

using Key = std::pair<std::string, std::string>;

// A search of `type` for `restriction` (and `extra` parameters, e.g. _id), held to the patient
// compartment when the restriction says so.
Result<fhir::search::SearchQuery> restricted_query(
    const ScopeRestriction& restriction, const Request& request, std::string_view type,
    std::vector<std::pair<std::string, std::string>> extra) {
  std::vector<std::pair<std::string, std::string>> params = restriction.params;
  params.insert(params.end(), extra.begin(), extra.end());
  fhir::search::SearchLimits limits;
  limits.max_values = kIdsPerSearch;
  Result<fhir::search::SearchQuery> query =
      fhir::search::parse_search(type, params, request.base_url, true, limits);
  if (!query.is_ok()) {
    return Status(Code::kForbidden,
                  "the token's granular scope on " + std::string(type) +
                      " is not a search Hearth can run: " + query.status().message());
  }
  if (restriction.patient && request.grant != nullptr) {
    HEARTH_ASSIGN_OR_RETURN(query->compartment, patient_compartment(request.grant->patient, type));
  }
  return query;
}

Status find_matching(storage::ResourceReader& reader, const ScopeRestriction& restriction,
                     const Request& request, const std::string& type,
                     const std::vector<std::string>& ids, std::set<Key>& members) {
  std::string list;
  for (const std::string& id : ids) list += (list.empty() ? "" : ",") + id;
  HEARTH_ASSIGN_OR_RETURN(fhir::search::SearchQuery query,
                          restricted_query(restriction, request, type, {{"_id", list}}));
  query.count = static_cast<int>(ids.size());
  query.total = fhir::search::TotalMode::kNone;
  HEARTH_ASSIGN_OR_RETURN(storage::SearchPage page, reader.search(query));
  for (const storage::ResourceVersion& v : page.entries) members.emplace(v.type, v.id);
  return Status::ok();
}

}  // namespace

Result<std::optional<ScopeRestriction>> held_to_restriction(const Request& request,
                                                            const Route& route) {
  if (request.grant == nullptr) return std::optional<ScopeRestriction>();
  Result<Reach> reach = authorize(*request.grant, route);
  if (!reach.is_ok() || *reach != Reach::kRestricted) return std::optional<ScopeRestriction>();
  // The letters the route needs: r for reads, s for searches and history.
  const bool search = route.interaction == Interaction::kSearchType ||
                      route.interaction == Interaction::kSearchCompartment ||
                      route.interaction == Interaction::kHistoryInstance;
  HEARTH_ASSIGN_OR_RETURN(
      ScopeRestriction restriction,
      restriction_of(*request.grant, route.type,
                     search ? ScopePermissions{.search = true} : ScopePermissions{.read = true}));
  return std::optional<ScopeRestriction>(std::move(restriction));
}

Status restrict_search(const ScopeRestriction& restriction, const Request& request,
                       std::string_view type, fhir::search::SearchQuery& query) {
  HEARTH_ASSIGN_OR_RETURN(fhir::search::SearchQuery held,
                          restricted_query(restriction, request, type, {}));
  for (auto& clause : held.clauses) query.clauses.push_back(std::move(clause));
  if (held.compartment && !query.compartment) query.compartment = std::move(held.compartment);
  return Status::ok();
}

Status require_matching(storage::ResourceReader& reader, const ScopeRestriction& restriction,
                        const Request& request, std::string_view type, std::string_view id) {
  std::set<Key> members;
  HEARTH_RETURN_IF_ERROR(
      find_matching(reader, restriction, request, std::string(type), {std::string(id)}, members));
  if (!members.empty()) return Status::ok();
  return Status(Code::kForbidden, std::string(type) + "/" + std::string(id) +
                                      " is outside what the token's granular scopes allow");
}

Status keep_matching(storage::ResourceReader& reader, const Request& request,
                     std::vector<storage::ResourceVersion>& resources) {
  if (request.grant == nullptr) return Status::ok();
  const Grant& grant = *request.grant;
  std::map<std::string, std::vector<std::string>> by_type;
  for (const storage::ResourceVersion& v : resources) {
    if (reach_of_type(grant, v.type) == Reach::kRestricted) by_type[v.type].push_back(v.id);
  }
  if (by_type.empty()) return Status::ok();
  std::set<Key> members;
  for (const auto& [type, ids] : by_type) {
    Result<ScopeRestriction> restriction =
        restriction_of(grant, type, ScopePermissions{.read = true});
    if (!restriction.is_ok()) continue;  // none are members
    for (std::size_t from = 0; from < ids.size(); from += kIdsPerSearch) {
      const std::vector<std::string> chunk(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + kIdsPerSearch)));
      Status found = find_matching(reader, *restriction, request, type, chunk, members);
      if (found.code() == Code::kForbidden) break;  // a restriction Hearth cannot run: none
      HEARTH_RETURN_IF_ERROR(found);
    }
  }
  std::erase_if(resources, [&](const storage::ResourceVersion& v) {
    return by_type.count(v.type) != 0 && members.count({v.type, v.id}) == 0;
  });
  return Status::ok();
}

}  // namespace hearth::api
