// _include and _revinclude for a search page (search.html#include): the resources the page's
// matches reference or are referenced by, then (for :iterate directives) those of the resources
// included so far, round after round until a round adds nothing new. Each round is one store
// call; what it returns passes through filter_visible (visibility.h) before it is kept or
// followed, and each resource is answered once (a match is never also an include).
#pragma once

#include <cstddef>
#include <vector>

#include "api/request.h"
#include "core/status.h"
#include "fhir/search/search_query.h"
#include "storage/resource_store.h"

namespace hearth::api {

// Included resources per search page (beyond it the result says it was cut short).
inline constexpr std::size_t kMaxIncluded = 1000;
// Rounds of :iterate after the first (beyond it the result says it was cut short).
inline constexpr int kMaxIncludeRounds = 8;

struct Included {
  std::vector<storage::ResourceVersion> resources;  // in the order found, each once
  // More would have been included past kMaxIncluded or kMaxIncludeRounds: the searchset says
  // so in an OperationOutcome entry.
  bool truncated = false;
};

// The resources `directives` add to `matches`. Errors: the store's (see ResourceReader).
Result<Included> resolve_includes(storage::ResourceReader& reader, const Request& request,
                                  const std::vector<fhir::search::IncludeDirective>& directives,
                                  const std::vector<storage::ResourceVersion>& matches);

}  // namespace hearth::api
