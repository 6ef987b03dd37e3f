// Which stored resources a request may see. Every resource a search adds on its own initiative
// (_include, _revinclude, round after round of :iterate) passes through filter_visible before
// it is answered or followed further, so that the security layer (SMART scopes, compartments,
// consent) decides in this one place what a requester is shown. Today every resource is
// visible: Hearth has no authorisation yet (README, Limitations).
#pragma once

#include <vector>

#include "api/request.h"
#include "storage/resource_store.h"

namespace hearth::api {

// Removes from `resources`, in place and keeping the order of the rest, those `request` may
// not see. Thread-safe; never fails (a resource it cannot decide on is removed).
void filter_visible(const Request& request, std::vector<storage::ResourceVersion>& resources);

}  // namespace hearth::api
