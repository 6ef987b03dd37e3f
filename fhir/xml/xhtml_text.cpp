// Serialises an XHTML subtree from libxml2's DOM into the FHIR JSON string form.
#include "fhir/xml/xhtml_text.h"

#include <string_view>

#include "fhir/xml/xml_escape.h"
#include "fhir/xml/xml_model.h"
#include "fhir/xml/xml_tree.h"

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
    append_text_escaped(view(ns->href), out);
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
      if (t->type == XML_TEXT_NODE) append_text_escaped(view(t->content), out);
    }
    out += '"';
  }
  if (node->children == nullptr && written_as_empty_tag(node)) {
    out += "/>";
    return;
  }
  out += '>';
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    switch (c->type) {
      case XML_ELEMENT_NODE:
        append_element(c, false, out);
        break;
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        append_text_escaped(view(c->content), out);
        break;
      case XML_COMMENT_NODE:
        out += "<!--";
        out += view(c->content);
        out += "-->";
        break;
      case XML_PI_NODE:
        out += "<?";
        out += view(c->name);
        if (c->content != nullptr && *c->content != 0) {
          out += ' ';
          out += view(c->content);
        }
        out += "?>";
        break;
      default:
        break;
    }
  }
  out += "</";
  append_qname(node->ns, node->name, out);
  out += '>';
}

// Copies `text` from `from` up to and including `terminator` (or to the end).
std::size_t copy_through(std::string_view text, std::size_t from, std::string_view terminator,
                         std::string& out) {
  std::size_t end = text.find(terminator, from);
  end = end == std::string_view::npos ? text.size() : end + terminator.size();
  out.append(text.substr(from, end - from));
  return end;
}

const char* whitespace_reference(char c) {
  switch (c) {
    case '\t': return "&#x9;";
    case '\n': return "&#xA;";
    case '\r': return "&#xD;";
    default: return nullptr;
  }
}

}  // namespace

void append_xhtml_keeping_whitespace(std::string_view xhtml, std::string& out) {
  enum class State { kText, kTag, kValue };
  State state = State::kText;
  char quote = '"';
  std::size_t i = 0;
  while (i < xhtml.size()) {
    char c = xhtml[i];
    if (state == State::kText) {
      if (c == '<') {
        std::string_view rest = xhtml.substr(i);
        if (rest.starts_with("<!--")) {
          i = copy_through(xhtml, i, "-->", out);
          continue;
        }
        if (rest.starts_with("<![CDATA[")) {
          i = copy_through(xhtml, i, "]]>", out);
          continue;
        }
        if (rest.starts_with("<?")) {
          i = copy_through(xhtml, i, "?>", out);
          continue;
        }
        state = State::kTag;
      } else if (c == '\r') {
        out += "&#xD;";
        ++i;
        continue;
      }
    } else if (state == State::kTag) {
      if (c == '"' || c == '\'') {
        state = State::kValue;
        quote = c;
      } else if (c == '>') {
        state = State::kText;
      }
    } else if (c == quote) {
      state = State::kTag;
    } else if (const char* ref = whitespace_reference(c)) {
      out += ref;
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
}

void append_xhtml(const xmlNode* div, std::string& out) {
  append_element(div, true, out);
}

}  // namespace hearth::fhir::detail
