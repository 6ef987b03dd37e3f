// Serialises an XHTML subtree from libxml2's DOM into the FHIR JSON string form.
#include "fhir/xml/xhtml_text.h"

#include <string_view>
#include <vector>

#include "fhir/xml/xml_escape.h"
#include "fhir/xml/xml_model.h"
#include "fhir/xml/xml_tree.h"

namespace hearth::fhir::detail {
namespace {

std::string_view view(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

// libxml2 keeps a namespace URI as parsed but for "&amp;", which it stores as "&#38;" (unlike
// attribute values, which it decodes): undo that before escaping, or the URI would change.
void append_namespace_uri(std::string_view href, std::string& out) {
  constexpr std::string_view kStoredAmpersand = "&#38;";
  for (std::size_t at; (at = href.find(kStoredAmpersand)) != std::string_view::npos;) {
    append_text_escaped(href.substr(0, at), out);
    out += "&amp;";
    href.remove_prefix(at + kStoredAmpersand.size());
  }
  append_text_escaped(href, out);
}

// Serialises one div subtree. A prefix declared outside the div (on the FHIR elements around
// it) is re-declared on the div, so the string stands on its own as namespace-well-formed XML.
class XhtmlWriter {
 public:
  XhtmlWriter(const xmlNode* root, std::string& out) : root_(root), out_(out) {}

  void write() {
    out_ += "<div xmlns=\"";  // the root is the div in the xhtml namespace, whatever its prefix
    out_ += kXhtmlNamespace;
    out_ += '"';
    declarations_at_ = out_.size();
    append_rest_of_element(root_, true);
    if (outside_.empty()) return;
    std::string declarations;
    for (const xmlNs* ns : outside_) append_declaration(ns, declarations);
    out_.insert(declarations_at_, declarations);
  }

 private:
  void append_declaration(const xmlNs* ns, std::string& out) const {
    out += " xmlns";
    if (ns->prefix != nullptr) {
      out += ':';
      out += view(ns->prefix);
    }
    out += "=\"";
    append_namespace_uri(view(ns->href), out);
    out += '"';
  }

  // Notes `ns` for re-declaration when `node` uses it by prefix and no element between `node`
  // and the div declares it.
  void note_use(const xmlNode* node, const xmlNs* ns) {
    if (ns == nullptr || ns->prefix == nullptr || view(ns->prefix) == "xml") return;
    for (const xmlNode* n = node; n != nullptr; n = n == root_ ? nullptr : n->parent) {
      for (const xmlNs* d = n->nsDef; d != nullptr; d = d->next) {
        if (d == ns) return;
      }
    }
    for (const xmlNs* known : outside_) {
      if (known == ns) return;
    }
    outside_.push_back(ns);
  }

  void append_qname(const xmlNode* node, const xmlNs* ns, const xmlChar* name) {
    if (ns != nullptr && ns->prefix != nullptr) {
      note_use(node, ns);
      out_ += view(ns->prefix);
      out_ += ':';
    }
    out_ += view(name);
  }

  void append_element(const xmlNode* node) {
    out_ += '<';
    append_qname(node, node->ns, node->name);
    append_rest_of_element(node, false);
  }

  void append_rest_of_element(const xmlNode* node, bool is_root) {
    for (const xmlNs* ns = node->nsDef; ns != nullptr; ns = ns->next) {
      // The root's default namespace is always written above; never twice.
      if (!(is_root && ns->prefix == nullptr)) append_declaration(ns, out_);
    }
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
      out_ += ' ';
      append_qname(node, a->ns, a->name);
      out_ += "=\"";
      for (const xmlNode* t = a->children; t != nullptr; t = t->next) {
        if (t->type == XML_TEXT_NODE) append_text_escaped(view(t->content), out_);
      }
      out_ += '"';
    }
    if (node->children == nullptr && written_as_empty_tag(node)) {
      out_ += "/>";
      return;
    }
    out_ += '>';
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) append_child(c);
    out_ += "</";
    if (is_root) {
      out_ += "div";
    } else {
      append_qname(node, node->ns, node->name);
    }
    out_ += '>';
  }

  void append_child(const xmlNode* c) {
    switch (c->type) {
      case XML_ELEMENT_NODE: append_element(c); break;
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE: append_text_escaped(view(c->content), out_); break;
      case XML_COMMENT_NODE:
        out_ += "<!--";
        out_ += view(c->content);
        out_ += "-->";
        break;
      case XML_PI_NODE:
        out_ += "<?";
        out_ += view(c->name);
        if (c->content != nullptr && *c->content != 0) {
          out_ += ' ';
          out_ += view(c->content);
        }
        out_ += "?>";
        break;
      default: break;
    }
  }

  const xmlNode* root_;
  std::string& out_;
  std::size_t declarations_at_ = 0;
  std::vector<const xmlNs*> outside_;
};

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
  XhtmlWriter(div, out).write();
}

}  // namespace hearth::fhir::detail
