// FHIR JSON to FHIR XML (https://hl7.org/fhir/R4/xml.html), driven by the generated model tables:
// elements are written in definition order whatever the JSON member order, primitives as
// `value` attributes with their `_name` id/extensions merged in, Element.id and Extension.url as
// attributes, choice elements under their typed names, nested resources wrapped in an element
// named by their resourceType, and the narrative div as real XHTML.
//
// Thread-safety: reentrant; the only shared state is libxml2's parser (initialised once), used to
// check each narrative div is one well-formed element before it is copied into the output.
#pragma once

#include <string>

#include "core/status.h"
#include "fhir/json.h"

namespace hearth::fhir {

// Appends the XML form of `resource` (an XML declaration, then the resource element with the
// FHIR namespace) to `out`; `pretty` indents by two spaces per level, otherwise there is no
// whitespace between elements. Errors: kInvalidArgument, with a FHIRPath-like location, for JSON
// that is not a resource the model knows (unknown resourceType or property, wrong JSON kind for
// an element, arrays where one value is allowed or the reverse, null outside an aligned primitive
// array, characters XML cannot carry, a div that is not one well-formed XHTML element or has more
// than kDefaultXmlMaxNodes nodes, xml_reader.h). On error `out` is left as it was.
Status write_xml_resource(const JsonValue& resource, bool pretty, std::string& out);

}  // namespace hearth::fhir
