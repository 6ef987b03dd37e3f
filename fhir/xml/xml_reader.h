// FHIR XML (https://hl7.org/fhir/R4/xml.html) to FHIR JSON: one walk over a libxml2 tree
// alongside the generated model tables (no per-resource code). The result follows fhir/json.h's
// conventions, so everything downstream (validation, storage, search) sees one representation.
//
// Security: DOCTYPE declarations (and so any entity definition, internal or external) are
// refused before anything in them is processed; no network access, no DTD loading, no entity
// substitution. Limits are enforced before (size) and during (depth) the walk.
//
// Thread-safety: reentrant; no global libxml2 state is changed per call (xmlInitParser runs once).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir {

struct XmlLimits {
  std::size_t max_bytes = 64u << 20;
  int max_depth = 256;
};

// FHIR XML resource text -> the resource in FHIR JSON form: primitives as JSON booleans/numbers
// (numbers keep their exact text)/strings by type; elements with max > 1 as arrays; primitive
// id/extension in the `_name` sibling (null-padded arrays); choice elements as valueQuantity etc.;
// nested resources (contained, Bundle.entry.resource, ...) unwrapped; the narrative div as one
// XHTML string with the xhtml namespace declared on the div (comments inside it kept; elsewhere
// comments and processing instructions are ignored). Elements out of definition order are
// accepted; the JSON members follow the XML order. Depth counts elements from the root (1); libxml2
// itself stops at 2048 levels whatever max_depth says.
// Errors: kMalformed for XML that is not well-formed, a DOCTYPE or entity declaration, more than
// limits.max_bytes or deeper than limits.max_depth elements, a root outside the FHIR namespace
// http://hl7.org/fhir, or an unknown resource type; kUnprocessable for content the definitions do
// not allow (unknown element or attribute, bad boolean or number, stray text), with the location
// ("Patient.name[0].foo") in the expression.
Result<JsonDocument> parse_xml_resource(std::string_view xml, const XmlLimits& limits = {});

}  // namespace hearth::fhir
