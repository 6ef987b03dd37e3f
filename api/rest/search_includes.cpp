// resolve_includes: rounds of store include queries to a fixed point, each round's results
// filtered for visibility and for what the searchset already holds.
#include "api/rest/search_includes.h"

#include <set>
#include <string>
#include <utility>

#include "api/rest/visibility.h"

namespace hearth::api {
namespace {

using Key = std::pair<std::string, std::string>;

std::vector<Key> keys_of(const std::vector<storage::ResourceVersion>& resources,
                         std::size_t from = 0) {
  std::vector<Key> out;
  for (std::size_t i = from; i < resources.size(); ++i) {
    out.emplace_back(resources[i].type, resources[i].id);
  }
  return out;
}

}  // namespace

Result<Included> resolve_includes(storage::ResourceReader& reader, const Request& request,
                                  const std::vector<fhir::search::IncludeDirective>& directives,
                                  const std::vector<storage::ResourceVersion>& matches) {
  Included out;
  if (directives.empty() || matches.empty()) return out;
  std::vector<fhir::search::IncludeDirective> iterating;
  for (const auto& d : directives) {
    if (d.iterate) iterating.push_back(d);
  }
  std::set<Key> seen;
  for (const storage::ResourceVersion& m : matches) seen.emplace(m.type, m.id);

  storage::IncludeQuery query;
  query.from = keys_of(matches);
  query.directives = directives;
  for (int round = 0;; ++round) {
    const std::size_t room = kMaxIncluded - out.resources.size();
    // Resources already in the searchset may come back and are dropped: ask for enough rows to
    // find `room` new ones past them, and one more to know whether there were more.
    query.limit = room + seen.size() + 1;
    HEARTH_ASSIGN_OR_RETURN(std::vector<storage::ResourceVersion> found, reader.include(query));
    const bool more_rows = found.size() == query.limit;
    HEARTH_RETURN_IF_ERROR(filter_visible(reader, request, found));
    const std::size_t before = out.resources.size();
    for (storage::ResourceVersion& r : found) {
      if (!seen.emplace(r.type, r.id).second) continue;
      if (out.resources.size() == kMaxIncluded) {
        out.truncated = true;
        break;
      }
      out.resources.push_back(std::move(r));
    }
    if (more_rows) out.truncated = true;
    if (out.truncated || iterating.empty() || out.resources.size() == before) break;
    if (round == kMaxIncludeRounds) {
      out.truncated = true;
      break;
    }
    // The next round follows the :iterate directives from what this round added.
    query.from = keys_of(out.resources, before);
    query.directives = iterating;
  }
  return out;
}

}  // namespace hearth::api
