// libxml2 parsing with the safety settings every Hearth XML input gets: no network, no DTD
// loading or validation, no entity substitution, and any DOCTYPE refused at "<!DOCTYPE" before
// its internal subset (entity declarations) is read. Errors are collected per parse, never
// printed or stored globally. Thread-safe: xmlInitParser runs once; each call has its own context.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string_view>

#include "core/status.h"

namespace hearth::fhir::detail {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// An element written as an empty-element tag (<br/>) has _private == &kEmptyTagMarker.
extern const char kEmptyTagMarker;
inline bool written_as_empty_tag(const xmlNode* node) {
  return node->_private == &kEmptyTagMarker;
}

// Bounds on the tree, enforced while libxml2 builds it (SAX callbacks count and stop the
// parser), so an input of many tiny nodes costs at most max_nodes nodes, whatever its size.
struct XmlTreeLimits {
  // Elements, attributes, comments and processing instructions. Text nodes are not counted:
  // there is at most one between two counted nodes.
  std::size_t max_nodes = static_cast<std::size_t>(-1);
  int max_depth = 1 << 30;  // element nesting, the root at 1
};

// Parses `xml` (at most INT_MAX bytes; callers apply their own smaller limit first).
// Errors: kMalformed for XML that is not well-formed (libxml2's message and line), that has a
// DOCTYPE or that nests elements deeper than limits.max_depth; kPayloadTooLarge for more than
// limits.max_nodes nodes; kInternal when libxml2 cannot allocate.
Result<XmlDocPtr> parse_xml_tree(std::string_view xml, const XmlTreeLimits& limits = {});

inline std::string_view xml_view(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

}  // namespace hearth::fhir::detail
