// FHIR XML: parse, then (when it parses) write and re-parse. Invariants: nothing crashes, and a
// resource that parses writes to XML that parses back to the same JSON.
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
  std::string xml;
  if (!hearth::fhir::write_xml_resource(*doc, size % 2 == 0, xml).is_ok()) std::abort();
  auto again = hearth::fhir::parse_xml_resource(xml);
  if (!again.is_ok()) std::abort();
  if (hearth::fhir::write_json(*again) != hearth::fhir::write_json(*doc)) std::abort();
  return 0;
}
