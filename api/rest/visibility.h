// Which stored resources a request may see among those a search adds on its own initiative
// (_include, _revinclude, round after round of :iterate): each passes through filter_visible
// before it is answered or followed further, so the bearer's grant (smart_scopes.h) decides in
// this one place what it is shown. The matches themselves are held to the grant by the search
// (a patient compartment filter) and need no filtering.
#pragma once

#include <vector>

#include "api/request.h"
#include "core/status.h"
#include "storage/resource_store.h"

namespace hearth::api {

// Removes from `resources`, in place and keeping the order of the rest, those `request` may
// not see: without a grant (--auth none) every one is visible; with one, a resource's type
// must be readable (r or s) under its scopes, one readable only through patient/ scopes
// must be in the patient's compartment (compartment_access.h, looked up through `reader`), and
// one readable only through granular scopes must match them (scope_restriction.h).
// Thread-safe as the reader is. Errors: the reader's.
Status filter_visible(storage::ResourceReader& reader, const Request& request,
                      std::vector<storage::ResourceVersion>& resources);

}  // namespace hearth::api
