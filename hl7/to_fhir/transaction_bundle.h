// The one way a mapping (v2 message_mapper.h, X12 x12_mapper.h) writes what its ResourceBuilder
// holds as a FHIR transaction Bundle: every resource left non-empty is an entry with the request
// its mapper decides; a resource with the identity key of an earlier one (the same patient named
// twice) is that one: it gets no entry of its own and references to it move to the first.
//
// Thread-safety: none needed (a pure function of its arguments).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/status.h"
#include "fhir/json.h"
#include "hl7/to_fhir/resource_builder.h"

namespace hearth::hl7::to_fhir {

// How an entry writes its resource: its request (method, url, ifNoneExist) and the key that makes
// two resources of one mapping the same one ("" when it has no identity).
struct EntryRequest {
  std::string method = "POST", url, if_none_exist, key;
};

// Drops references to resources left empty (ResourceBuilder::drop_references_to_empty), then
// builds the Bundle as above, as a document (no JSON text: the write path takes it as it is);
// `*entries` is set to the number of entries written. Errors: kMalformed when a value is one
// that JSON text could not carry (fhir/json_builder.h: U+0000, bytes that are not UTF-8).
Result<fhir::JsonDocument> write_transaction_bundle(
    ResourceBuilder& builder, const std::function<EntryRequest(const Resource&)>& request_of,
    std::size_t* entries);

}  // namespace hearth::hl7::to_fhir
