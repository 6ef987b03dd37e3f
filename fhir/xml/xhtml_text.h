// The XHTML narrative div as FHIR JSON carries it: one string holding the div element
// serialised the way the official JSON examples are (xhtml namespace declared on the div,
// double-quoted attributes, & < > " escaped in text, empty elements as written (<br/> or
// <td></td>), comments and processing instructions kept). Works on a libxml2 tree; reentrant.
#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>

namespace hearth::fhir::detail {

// Appends the serialisation of `div` (an element) to `out`. Whitespace characters are written
// as they are, also inside attribute values.
void append_xhtml(const xmlNode* div, std::string& out);

// Appends `xhtml` (well-formed XHTML text, as held in JSON) for embedding in an XML document:
// copied as is, except \t \n \r inside attribute values and \r in text, which become character
// references so that a parser's normalisation gives the same string back to append_xhtml.
void append_xhtml_keeping_whitespace(std::string_view xhtml, std::string& out);

}  // namespace hearth::fhir::detail
