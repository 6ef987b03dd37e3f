// The XHTML narrative div as FHIR JSON carries it: one string holding the div element
// serialised the way the official JSON examples are (xhtml namespace declared on the div,
// double-quoted attributes, & < > " escaped in text, empty elements as <br/>; comments and
// processing instructions dropped). Works on a libxml2 tree; reentrant.
#pragma once

#include <libxml/tree.h>

#include <string>

namespace hearth::fhir::detail {

// Appends the serialisation of `div` (an element) to `out`.
void append_xhtml(const xmlNode* div, std::string& out);

}  // namespace hearth::fhir::detail
