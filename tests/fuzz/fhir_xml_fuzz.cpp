// FHIR XML: parse, then (when it parses) write and re-parse. Invariants: nothing crashes, and a
// resource that parses writes to XML that parses back to the same resource. The XML writer's
// output is the comparison: it orders elements by the definitions, so it is the same for two
// JSON documents that differ only in member order (the reader accepts XML out of order).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "fhir/xml/xml_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = hearth::fhir::parse_xml_resource(text);
  if (!doc.is_ok()) return 0;
  bool pretty = size % 2 == 0;
  std::string xml;
  if (!hearth::fhir::write_xml_resource(*doc, pretty, xml).is_ok()) std::abort();
  auto again = hearth::fhir::parse_xml_resource(xml);
  if (!again.is_ok()) std::abort();
  std::string xml_again;
  if (!hearth::fhir::write_xml_resource(*again, pretty, xml_again).is_ok()) std::abort();
  if (xml_again != xml) std::abort();
  return 0;
}
