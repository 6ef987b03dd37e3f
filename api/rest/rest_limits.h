// What one FHIR REST request may cost (issue 11, bounded memory): the limits the REST core
// applies while it reads a request, before the work they bound is done. The server fills them
// from its flags (server/config.h); the defaults are the flags' defaults.
#pragma once

#include <cstddef>

#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "fhir/xml/xml_reader.h"

namespace hearth::api {

struct RestLimits {
  // Parameters, values per parameter and _sort keys of a search: 400 beyond (search_query.h).
  fhir::search::SearchLimits search;
  // Elements + attributes (413 beyond) and depth (400 beyond) of an XML body (xml_reader.h).
  fhir::XmlLimits xml;
  // Search index rows one created or updated resource may produce: 422 beyond
  // (fhir/search/index_values.h). The official R4 examples produce at most a few hundred.
  std::size_t max_index_rows = fhir::search::kDefaultMaxIndexRows;
  // Resources one conditional delete (DELETE [type]?criteria) may delete: 412 when more match
  // (--conditional-delete-max). 1, the default, is FHIR's single-match conditional delete;
  // higher values allow HAPI's "multiple delete".
  std::size_t max_conditional_deletes = 1;
  // --enforce-profiles: a write (create, update, patch, transaction or batch entry) whose
  // resource breaks a profile it or a resource inside it claims in meta.profile (stored in Hearth
  // or shipped in the package, api/rest/profile_source.h) is 422.
  bool enforce_profiles = false;
};

}  // namespace hearth::api
