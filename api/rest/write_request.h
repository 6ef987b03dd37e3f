// The store's WriteRequest for a create, update, patch or delete: built around a decoded
// resource, with the If-Match precondition. Shared by write.cpp and patch.cpp so every write
// indexes and stamps a body the same way.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "api/rest/interactions.h"
#include "core/status.h"
#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "storage/resource_store.h"

namespace hearth::api {

// Builds the store's WriteRequest around a decoded resource `doc` (nullptr for a delete) for
// ctx.route.type/`id`: the index values are extracted now, outside the store's transaction, and
// the body is stamped inside it with the version and time the store assigns. `doc` is rewritten
// in place (id, meta; resource_body.h StampedBody). Errors: kUnprocessable when the resource
// produces more index rows than ctx.limits.max_index_rows.
Result<storage::WriteRequest> make_write(const InteractionContext& ctx, std::string id,
                                         fhir::JsonDocument* doc);

// The same for any resource value: `resource` (in a document whose allocator is `allocator`:
// a Bundle entry's, a patched copy) of `type`, stored as `id`. What make_write and the entry
// runner (entry_runner.h) both use.
// With `late_source`, meta.source is what that string holds when the store renders the body,
// not what the resource holds (dropped): the caller sets it, and adds its index rows
// (fhir::search::add_meta_source), before the write.
// With `extracted`, those are the resource's index values, the rows its parts hold dropped
// (early_index.h), and nothing is extracted.
Result<storage::WriteRequest> build_write(
    std::string type, std::string id, fhir::JsonValue& resource, fhir::JsonAllocator& allocator,
    std::size_t max_index_rows, std::shared_ptr<const std::string> late_source = nullptr,
    std::optional<fhir::search::IndexValues> extracted = std::nullopt);

// If-Match -> write.expected_version; an absent header leaves the write unconditional.
// Errors: kInvalidArgument for a header that is not W/"n" or "n".
Status apply_if_match(const Request& request, storage::WriteRequest& write);

}  // namespace hearth::api
