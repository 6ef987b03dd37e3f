// FHIR JSON: parse, validate, serialise. Invariants: nothing crashes, and whatever parses
// serialises to text that parses and serialises to the same text (numbers kept as text).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fhir/json.h"
#include "fhir/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = hearth::fhir::parse_json(text);
  if (!doc.is_ok()) return 0;
  (void)hearth::fhir::validate_resource(*doc);
  std::string written = hearth::fhir::write_json(*doc);
  auto again = hearth::fhir::parse_json(written);
  if (!again.is_ok() || hearth::fhir::write_json(*again) != written) std::abort();
  return 0;
}
