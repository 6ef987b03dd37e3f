// The body of a create or update: decoded, checked against the URL, validated against the R4
// definitions, then stamped with the server's id and meta and serialised for storage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "core/status.h"
#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "storage/blob_marker.h"

namespace hearth::api {

// Decodes (FHIR JSON or XML, by Content-Type) and validates a request body as a resource of
// `type`. Errors: kUnsupportedMediaType (Content-Type), kMalformed (not well-formed JSON/XML,
// not an object, no or wrong resourceType), kUnprocessable (invalid FHIR content, all issues
// listed).
// XML bodies are read within `xml_limits` (kPayloadTooLarge for too many nodes, kMalformed
// too deep; fhir/xml/xml_reader.h).
Result<fhir::JsonDocument> decode_resource(const Request& request, std::string_view type,
                                           const fhir::XmlLimits& xml_limits = {});

// The first half of decode_resource: the body parsed (JSON or XML by Content-Type), nothing
// checked. Errors: kUnsupportedMediaType, kMalformed, kPayloadTooLarge as decode_resource.
Result<fhir::JsonDocument> parse_body(const Request& request,
                                      const fhir::XmlLimits& xml_limits = {});

// The checks decode_resource makes once the body is parsed, for a resource made another way (a
// patched one, patch_body.h): a JSON object of resourceType `type`, valid against the R4
// definitions. Errors: kMalformed (not an object, no or wrong resourceType), kUnprocessable
// (invalid FHIR content, all issues listed).
Status check_resource(const fhir::JsonDocument& doc, std::string_view type);

// Sets meta.source (a uri naming where the resource came from: an archived HL7 message) in
// `resource`, replacing one already there.
void set_meta_source(fhir::JsonValue& resource, fhir::JsonAllocator& alloc,
                     std::string_view source);

// Removes meta.source from `resource` (an empty meta stays).
void drop_meta_source(fhir::JsonValue& resource);

// A resource body with everything but meta.versionId and meta.lastUpdated serialised ahead of
// time, so the store's write transaction (where the version and time are assigned, and where
// SQLite writers queue) only concatenates strings.
class StampedBody {
 public:
  // Sets `id` and meta (the client's other meta elements kept; versionId/lastUpdated replaced)
  // in `resource` and serialises it. Element order: resourceType, id, meta, then the rest.
  // Precondition: `resource` passed decode_resource() and `id` is a valid FHIR id.
  StampedBody(fhir::JsonDocument& resource, std::string_view id)
      : StampedBody(resource, resource.GetAllocator(), id) {}
  // The same for a resource inside a larger document (a Bundle entry's), whose allocator
  // `allocator` is.
  // With `source_at_render`, meta.source is left to render() (an HL7 message's resources are
  // prepared before the transaction that numbers the message their source names): any the
  // resource holds is dropped, and it follows lastUpdated, as the R4 element order has it.
  StampedBody(fhir::JsonValue& resource, fhir::JsonAllocator& allocator, std::string_view id,
              bool source_at_render = false);

  // The compact JSON to store for this version and time, with meta.source `source` when the
  // body was made with `source_at_render` (none when `source` is empty).
  std::string render(std::int64_t version, std::int64_t last_updated_micros,
                     std::string_view source = {}) const;

  // Moves the large `data` strings out of the text (storage/blob_marker.h), leaving markers;
  // the store writes them to its blob directory or back into the row. `binary`: a Binary's body.
  std::vector<storage::Blob> detach_blobs(bool binary);

 private:
  std::string head_;          // ... "meta":{"versionId":"
  std::string tail_;          // the closing quote of lastUpdated and everything after it
  bool source_slot_ = false;  // tail_ opens with `","source":"` and the source's closing quote
};

}  // namespace hearth::api
