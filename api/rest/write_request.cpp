// WriteRequest construction for every write interaction.
#include "api/rest/write_request.h"

#include <memory>

#include "api/rest/resource_body.h"
#include "api/rest/version_response.h"
#include "fhir/search/index_values.h"
#include "fhir/search/param_parts.h"

namespace hearth::api {

Result<storage::WriteRequest> build_write(std::string type, std::string id,
                                          fhir::JsonValue& resource, fhir::JsonAllocator& allocator,
                                          std::size_t max_index_rows,
                                          std::shared_ptr<const std::string> late_source,
                                          std::optional<fhir::search::IndexValues> extracted) {
  storage::WriteRequest write;
  write.type = std::move(type);
  write.id = std::move(id);
  if (late_source) drop_meta_source(resource);  // indexed without it: add_meta_source adds it
  if (extracted) {
    write.index = std::move(*extracted);
  } else {
    // Index values come from the decoded resource, outside the store's write transaction
    // (where SQLite writers queue). A resource of a known type always yields a value set; the
    // row cap keeps one resource from holding every writer behind its index inserts.
    auto index = fhir::search::extract_index(resource, max_index_rows);
    if (!index.is_ok() && index.status().code() == Code::kUnprocessable) return index.status();
    if (index.is_ok()) {
      // Umbrella rows that a part holds are dropped here, on the request's thread, not by the
      // store's writer, where every writer queues (storage/sql/search_index.h).
      fhir::search::drop_rows_held_by_parts(write.type, *index);
      write.index = std::move(*index);
    }
  }
  auto stamped = std::make_shared<StampedBody>(resource, allocator, write.id,
                                               /*source_at_render=*/late_source != nullptr);
  write.blobs = stamped->detach_blobs(write.type == "Binary");
  write.make_body = [stamped, late_source](std::int64_t version, std::int64_t last_updated) {
    return stamped->render(version, last_updated,
                           late_source ? std::string_view(*late_source) : std::string_view());
  };
  return write;
}

Result<storage::WriteRequest> make_write(const InteractionContext& ctx, std::string id,
                                         fhir::JsonDocument* doc) {
  if (doc == nullptr) {
    storage::WriteRequest write;
    write.type = ctx.route.type;
    write.id = std::move(id);
    return write;
  }
  return build_write(ctx.route.type, std::move(id), *doc, doc->GetAllocator(),
                     ctx.limits.max_index_rows);
}

Status apply_if_match(const Request& request, storage::WriteRequest& write) {
  if (request.if_match.empty()) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(write.expected_version, parse_if_match(request.if_match));
  return Status::ok();
}

}  // namespace hearth::api
