// Serialises an XHTML subtree from libxml2's DOM into the FHIR JSON string form.
#include "fhir/xml/xhtml_text.h"

#include <string_view>

#include "fhir/xml/xml_escape.h"
#include "fhir/xml/xml_model.h"

namespace hearth::fhir::detail {
namespace {

std::string_view view(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

void append_qname(const xmlNs* ns, const xmlChar* name, std::string& out) {
  if (ns != nullptr && ns->prefix != nullptr) {
    out += view(ns->prefix);
    out += ':';
  }
  out += view(name);
}

void append_namespaces(const xmlNode* node, bool is_root, std::string& out) {
  if (is_root) {
    out += " xmlns=\"";
    out += kXhtmlNamespace;
    out += '"';
  }
  for (const xmlNs* ns = node->nsDef; ns != nullptr; ns = ns->next) {
    // The root's default namespace is always written above; never twice.
    if (is_root && ns->prefix == nullptr) continue;
    out += " xmlns";
    if (ns->prefix != nullptr) {
      out += ':';
      out += view(ns->prefix);
    }
    out += "=\"";
    append_attribute_escaped(view(ns->href), out);
    out += '"';
  }
}

void append_element(const xmlNode* node, bool is_root, std::string& out) {
  out += '<';
  append_qname(node->ns, node->name, out);
  append_namespaces(node, is_root, out);
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    out += ' ';
    append_qname(a->ns, a->name, out);
    out += "=\"";
    for (const xmlNode* t = a->children; t != nullptr; t = t->next) {
      if (t->type == XML_TEXT_NODE) append_attribute_escaped(view(t->content), out);
    }
    out += '"';
  }
  bool has_content = false;
  for (const xmlNode* c = node->children; c != nullptr && !has_content; c = c->next) {
    has_content = c->type == XML_ELEMENT_NODE || c->type == XML_TEXT_NODE ||
                  c->type == XML_CDATA_SECTION_NODE;
  }
  if (!has_content) {
    out += "/>";
    return;
  }
  out += '>';
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      append_element(c, false, out);
    } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      append_text_escaped(view(c->content), out);
    }
  }
  out += "</";
  append_qname(node->ns, node->name, out);
  out += '>';
}

}  // namespace

void append_xhtml(const xmlNode* div, std::string& out) {
  append_element(div, true, out);
}

}  // namespace hearth::fhir::detail
