// Rewriting the references of a resource written by a transaction (https://hl7.org/fhir/R4/
// bundle.html#references, http.html#trules): a reference to another entry's fullUrl (a
// `urn:uuid:` or `urn:oid:` placeholder, or the absolute URL the client used) and a conditional
// reference (`Patient?identifier=sys|val`) become the literal `Type/id` the transaction
// resolved them to. References are found anywhere in the resource: extensions, contained
// resources, nested backbone elements; narrative `<a href>` and `<img src>` values too.
//
// Pure functions on a decoded resource; thread-safe on distinct resources.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fhir/json.h"

namespace hearth::api {

// What a reference as written resolves to: the placeholder or URL -> "Type/id".
using ReferenceMap = std::unordered_map<std::string, std::string>;

// Calls `visit` with every Reference.reference string of `resource` (the value of every object
// member named "reference" holding a string), nested resources included.
void for_each_reference(const fhir::JsonValue& resource,
                        const std::function<void(std::string_view)>& visit);
// The same, with each such string value itself, which `visit` may replace.
void for_each_reference_value(fhir::JsonValue& resource,
                              const std::function<void(fhir::JsonValue&)>& visit);

// Replaces every reference of `resource` found in `map` by its target, and every `href` /
// `src` attribute value of a narrative div found in `map`. Returns how many were replaced.
std::size_t rewrite_references(fhir::JsonValue& resource, fhir::JsonAllocator& allocator,
                               const ReferenceMap& map);

// Is `reference` a placeholder for an entry of the same Bundle ("urn:uuid:..." or "urn:oid:...")?
bool is_placeholder(std::string_view reference);

// Is `reference` conditional ("Patient?identifier=a|b"): a resource type, '?', criteria?
// On true, `type` and `criteria` are set.
bool split_conditional_reference(std::string_view reference, std::string_view& type,
                                 std::string_view& criteria);

}  // namespace hearth::api
