// FHIR XML (https://hl7.org/fhir/R4/xml.html) to FHIR JSON: one walk over a libxml2 tree
// alongside the generated model tables (no per-resource code). The result follows fhir/json.h's
// conventions, so everything downstream (validation, storage, search) sees one representation.
//
// Security: DOCTYPE declarations (and so any entity definition, internal or external) are
// refused before anything in them is processed; no network access, no DTD loading, no entity
// substitution. Limits are enforced before the parse (size) and while libxml2 builds the tree
// (node count, depth), so memory stays a bounded multiple of max_nodes.
//
// Thread-safety: reentrant; no global libxml2 state is changed per call (xmlInitParser runs once).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir {

// The default node cap (--xml-max-nodes), 512 Ki: libxml2 spends about 130 bytes on an element
// and 250 on an attribute with its value, so the tree of any input stays within ~64-130 MB. Every
// official R4 example whose XML fits the server's default 16 MiB body passes; the largest,
// Bundle-valueset-expansions (10 MB), has 508,480 nodes (tests/unit/fhir/xml_roundtrip_test.cpp
// prints it). Larger bodies (--max-body) need a larger cap.
inline constexpr std::size_t kDefaultXmlMaxNodes = 512u * 1024;

struct XmlLimits {
  std::size_t max_bytes = 64u << 20;
  int max_depth = 256;  // --xml-max-depth
  // Elements + attributes + comments + processing instructions (--xml-max-nodes), counted while
  // libxml2 builds its tree, which is then at most ~150 bytes a node whatever the input size.
  std::size_t max_nodes = kDefaultXmlMaxNodes;
};

// FHIR XML resource text -> the resource in FHIR JSON form: primitives as JSON booleans/numbers
// (numbers keep their exact text)/strings by type; elements with max > 1 as arrays; primitive
// id/extension in the `_name` sibling (null-padded arrays); choice elements as valueQuantity etc.;
// nested resources (contained, Bundle.entry.resource, ...) unwrapped; the narrative div as one
// XHTML string with the xhtml namespace declared on the div (comments inside it kept; elsewhere
// comments and processing instructions are ignored). Elements out of definition order are
// accepted; the JSON members follow the XML order. Depth counts elements from the root (1); libxml2
// itself stops at 2048 levels whatever max_depth says.
// Errors: kPayloadTooLarge (413) for more than limits.max_nodes nodes, found while the tree is
// built; kMalformed for XML that is not well-formed, a DOCTYPE or entity declaration, more than
// limits.max_bytes or deeper than limits.max_depth elements, a root outside the FHIR namespace
// http://hl7.org/fhir, or an unknown resource type; kUnprocessable for content the definitions do
// not allow (unknown element or attribute, bad boolean or number, stray text), with the location
// ("Patient.name[0].foo") in the expression.
Result<JsonDocument> parse_xml_resource(std::string_view xml, const XmlLimits& limits = {});

}  // namespace hearth::fhir
