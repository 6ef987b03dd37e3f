// Safe libxml2 parsing (see xml_tree.h). XML_PARSE_NO_XXE only exists from libxml2 2.13; the
// DOCTYPE hook below already keeps external entities out on older versions (Debian 12: 2.9.14).
#include "fhir/xml/xml_tree.h"

#include <libxml/SAX2.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <climits>
#include <string>

namespace hearth::fhir::detail {
namespace {

void ignore_message(void*, const char*, ...) {}

// libxml2 reports some problems (encoding conversion, I/O) through its generic error function,
// which prints to stderr; every problem already comes back as a Status, so it is silenced: once
// as the default for new threads and once per thread that parses (libxml2 keeps it per thread).
void init_libxml_once() {
  static const bool initialised = [] {
    xmlInitParser();
    xmlThrDefSetGenericErrorFunc(nullptr, &ignore_message);
    return true;
  }();
  (void)initialised;
  thread_local const bool quiet = [] {
    xmlSetGenericErrorFunc(nullptr, &ignore_message);
    return true;
  }();
  (void)quiet;
}

// One parse's state, at the context's _private: why the parser was stopped, and the counts the
// limits are checked against.
struct ParseState {
  XmlTreeLimits limits;
  bool doctype = false;
  bool too_many_nodes = false;
  bool too_deep = false;
  std::size_t nodes = 0;
  int depth = 0;
};

ParseState& state_of(void* ctx) {
  return *static_cast<ParseState*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

// Called by libxml2 at "<!DOCTYPE": stop before the internal subset (entity declarations,
// external identifiers) is read.
void refuse_doctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  state_of(ctx).doctype = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}

// Counts `n` nodes about to be built; false (and the parser stopped) beyond the limit.
bool count_nodes(void* ctx, std::size_t n) {
  ParseState& state = state_of(ctx);
  state.nodes += n;
  if (state.nodes <= state.limits.max_nodes) return true;
  state.too_many_nodes = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
  return false;
}

void start_element(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
                   int nb_namespaces, const xmlChar** namespaces, int nb_attributes,
                   int nb_defaulted, const xmlChar** attributes) {
  ParseState& state = state_of(ctx);
  if (++state.depth > state.limits.max_depth) {
    state.too_deep = true;
    xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
    return;
  }
  if (!count_nodes(ctx, 1 + static_cast<std::size_t>(std::max(0, nb_attributes)))) return;
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                        nb_defaulted, attributes);
}

void comment(void* ctx, const xmlChar* value) {
  if (count_nodes(ctx, 1)) xmlSAX2Comment(ctx, value);
}

void processing_instruction(void* ctx, const xmlChar* target, const xmlChar* data) {
  if (count_nodes(ctx, 1)) xmlSAX2ProcessingInstruction(ctx, target, data);
}

// libxml2 keeps no trace of whether an element was written <td/> or <td></td>; the narrative
// JSON of the official examples uses both, so an element closed by "/>" is marked here (its
// _private, the field libxml2 leaves to applications) for xhtml_text to reproduce.
void end_element(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri) {
  --state_of(ctx).depth;
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  const xmlParserInput* in = ctxt->input;
  if (ctxt->node != nullptr && in != nullptr && in->cur - in->base >= 2 && in->cur[-1] == '>' &&
      in->cur[-2] == '/') {
    ctxt->node->_private = const_cast<char*>(&kEmptyTagMarker);
  }
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

struct ContextFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

// Never NOENT, DTDLOAD or DTDVALID: entities stay unexpanded and no DTD is fetched. HUGE lifts
// libxml2's 10 MB cap on one text or attribute value (a Binary's data): size is bounded by the
// callers' own limit, depth by their walk, and entity expansion cannot happen without a DOCTYPE.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
#if LIBXML_VERSION >= 21300
                              XML_PARSE_NO_XXE |
#endif
                              XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_HUGE;

std::string error_text(xmlParserCtxt* ctxt) {
  std::string message = "XML is not well-formed";
  const xmlError* e = xmlCtxtGetLastError(ctxt);
  if (e == nullptr || e->message == nullptr) return message;
  std::string_view text = e->message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  message += " (line " + std::to_string(e->line) + "): ";
  message += text;
  return message;
}

}  // namespace

const char kEmptyTagMarker = 0;

Result<XmlDocPtr> parse_xml_tree(std::string_view xml, const XmlTreeLimits& limits) {
  if (xml.size() > static_cast<std::size_t>(INT_MAX)) {
    return Status(Code::kMalformed, "XML larger than 2 GiB");
  }
  init_libxml_once();
  std::unique_ptr<xmlParserCtxt, ContextFree> ctxt(xmlNewParserCtxt());
  if (!ctxt || ctxt->sax == nullptr) return Status(Code::kInternal, "libxml2: out of memory");
  ParseState state{.limits = limits};
  ctxt->_private = &state;
  ctxt->sax->internalSubset = &refuse_doctype;
  ctxt->sax->startElementNs = &start_element;
  ctxt->sax->endElementNs = &end_element;
  ctxt->sax->comment = &comment;
  ctxt->sax->processingInstruction = &processing_instruction;
  XmlDocPtr doc(xmlCtxtReadMemory(ctxt.get(), xml.data(), static_cast<int>(xml.size()), nullptr,
                                  nullptr, kParseOptions));
  if (state.doctype || (doc && (doc->intSubset != nullptr || doc->extSubset != nullptr))) {
    return Status(Code::kMalformed,
                  "XML with a DOCTYPE declaration is refused (no DTDs or entities)");
  }
  if (state.too_many_nodes) {
    return Status(Code::kPayloadTooLarge,
                  "XML with more than " + std::to_string(limits.max_nodes) +
                      " nodes (elements, attributes, comments) is refused (--xml-max-nodes)");
  }
  if (state.too_deep) {
    return Status(Code::kMalformed, "XML elements nest deeper than " +
                                        std::to_string(limits.max_depth) +
                                        " levels (--xml-max-depth)");
  }
  if (!doc || !ctxt->wellFormed || !ctxt->nsWellFormed) {
    return Status(Code::kMalformed, error_text(ctxt.get()));
  }
  return doc;
}

}  // namespace hearth::fhir::detail
