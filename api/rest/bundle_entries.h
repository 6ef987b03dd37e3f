// The entries of a transaction or batch Bundle (https://hl7.org/fhir/R4/http.html#transaction)
// read into requests the entry runner (entry_runner.h) executes: each entry's method, its
// request.url routed through the same route table as an HTTP request, its criteria, its
// resource and its conditional headers. A plain REST request that needs the same machinery
// (conditional create, update and delete) becomes one such entry too.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api/request.h"
#include "api/rest/conditional.h"
#include "api/rest/route.h"
#include "core/status.h"
#include "fhir/json.h"

namespace hearth::api {

enum class EntryMethod { kGet, kHead, kPost, kPut, kPatch, kDelete };

struct BundleEntry {
  std::size_t index = 0;  // its position in Bundle.entry
  // Where errors about it point: "Bundle.entry[3]"; empty for a plain REST request.
  std::string location;
  EntryMethod method = EntryMethod::kGet;
  Route route;        // request.url routed as `method` (kCreate, kUpdate, kConditionalUpdate...)
  QueryParams query;  // request.url's query: a conditional's criteria or a search's parameters
  std::string url;    // request.url as written (for messages)
  std::string full_url;
  fhir::JsonValue* resource = nullptr;  // POST, PUT; PATCH: the Parameters or Binary body
  fhir::JsonAllocator* allocator = nullptr;
  // PATCH of a plain REST request: the body as sent and its Content-Type (no `resource`).
  std::string patch_body, patch_content_type;
  std::string if_none_exist, if_match, if_none_match, if_modified_since;
  // POST, and a conditional PUT whose body has no id: the id if the entry creates a resource,
  // drawn once before the store transaction (which may run more than once).
  std::string new_id;
  // A batch entry that cannot run (a malformed request, an invalid resource): it is answered
  // with this error, and the other entries run.
  Status invalid;
};

struct BundleKind {
  bool transaction = false;  // else batch
};

// Reads Bundle.type and every entry of a decoded Bundle. `base_url` (no trailing slash) is
// stripped from absolute request URLs. Errors (kInvalidArgument, the expression naming the
// element, e.g. "Bundle.entry[2].request.url"): a type other than transaction or batch; an
// entry without request, method or url; a url that is not a FHIR REST path of this server; a
// method the url does not take; a POST or PUT without a resource, or whose resource type
// differs from the url's; a PUT whose resource id differs from the url's. A transaction fails
// with the first of them; a batch keeps each in its entry's `invalid`, as a batch answers every
// entry on its own (FHIR R4 http.html#brules).
Result<std::vector<BundleEntry>> read_bundle_entries(fhir::JsonDocument& bundle,
                                                     std::string_view base_url, BundleKind& kind);

// A batch Bundle that failed validation (`validation`, check_resource's error): when every error
// lies inside an entry ("Bundle.entry[2].resource.gender"), each such entry gets its issues as
// its `invalid` and true is returned, so the others still run. False when an error lies outside
// every entry (the request then fails as a whole).
bool confine_issues_to_entries(const Status& validation, std::vector<BundleEntry>& entries);

// The method word of a Bundle entry ("GET", ...).
std::string_view method_name(EntryMethod method);

}  // namespace hearth::api
