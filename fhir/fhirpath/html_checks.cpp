// The narrative rules, checked on a libxml2 tree (no DTD, no entities, no network).
#include "fhir/fhirpath/html_checks.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <string>

namespace hearth::fhir::fhirpath {
namespace {

constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";
constexpr int kMaxDepth = 256;

// HTML 4.0 chapters 7-11 (without 9.4 ins/del), chapter 15 without its deprecated elements, and
// a/img: what narrative.html calls the basic formatting elements.
constexpr std::array<std::string_view, 51> kAllowed = {
    "a",       "abbr",  "acronym", "address", "b",        "bdo",   "big",   "blockquote", "br",
    "caption", "cite",  "code",    "col",     "colgroup", "dd",    "dfn",   "div",        "dl",
    "dt",      "em",    "h1",      "h2",      "h3",       "h4",    "h5",    "h6",         "hr",
    "i",       "img",   "kbd",     "li",      "ol",       "p",     "pre",   "q",          "samp",
    "small",   "span",  "strong",  "sub",     "sup",      "table", "tbody", "td",         "tfoot",
    "th",      "thead", "tr",      "tt",      "ul",       "var"};

bool allowed_element(std::string_view name) {
  return std::find(kAllowed.begin(), kAllowed.end(), name) != kAllowed.end();
}

std::string_view text_of(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

bool is_javascript_url(std::string_view value) {
  std::string lowered;
  for (char c : value) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return lowered.starts_with("javascript:") || lowered.starts_with("vbscript:");
}

struct Walk {
  bool content = false;  // txt-2: some non-whitespace text or an image

  bool element_ok(const xmlNode* node, int depth) {
    if (depth > kMaxDepth) return false;
    if (node->ns == nullptr || text_of(node->ns->href) != kXhtmlNamespace) return false;
    const std::string_view name = text_of(node->name);
    if (!allowed_element(name)) return false;
    if (name == "img") content = true;
    for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
      const std::string_view attr_name = text_of(attr->name);
      if (attr_name.size() > 2 && (attr_name[0] == 'o' || attr_name[0] == 'O') &&
          (attr_name[1] == 'n' || attr_name[1] == 'N')) {
        return false;  // onclick, onload, ...: scripts by another name
      }
      if (attr_name == "href" || attr_name == "src") {
        xmlChar* value = xmlNodeListGetString(node->doc, attr->children, 1);
        const bool script = is_javascript_url(text_of(value));
        xmlFree(value);
        if (script) return false;
      }
    }
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      switch (child->type) {
        case XML_ELEMENT_NODE:
          if (!element_ok(child, depth + 1)) return false;
          break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE: {
          const std::string_view text = text_of(child->content);
          if (std::any_of(text.begin(), text.end(),
                          [](char c) { return !std::isspace(static_cast<unsigned char>(c)); })) {
            content = true;
          }
          break;
        }
        case XML_COMMENT_NODE: break;
        default: return false;  // entity references, processing instructions
      }
    }
    return true;
  }
};

}  // namespace

bool passes_html_checks(std::string_view xhtml) {
  constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlReadMemory(xhtml.data(), static_cast<int>(xhtml.size()), nullptr, "UTF-8", kOptions),
      &xmlFreeDoc);
  if (!doc || doc->intSubset != nullptr || doc->extSubset != nullptr) return false;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || text_of(root->name) != "div") return false;
  Walk walk;
  return walk.element_ok(root, 0) && walk.content;
}

}  // namespace hearth::fhir::fhirpath
