// FHIRPath: compile arbitrary bytes as an expression and evaluate whatever compiles on a small
// fixed Patient. Invariants: nothing crashes or hangs; errors come back as values.
#include <cstdint>
#include <string_view>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"

namespace {

constexpr std::string_view kPatient = R"({"resourceType":"Patient","id":"f1",
  "contained":[{"resourceType":"Organization","id":"o1","name":"Clinic"}],
  "extension":[{"url":"http://example.org/x","valueAge":{"value":42,"unit":"a","system":"http://unitsofmeasure.org","code":"a"}}],
  "active":true,"name":[{"use":"official","family":"Chalmers","given":["Peter","James"]},
  {"given":["Jim"],"_given":[{"extension":[{"url":"http://example.org/y","valueString":"z"}]}]}],
  "birthDate":"1974-12-25","_birthDate":{"id":"b1"},"deceasedBoolean":false,
  "telecom":[{"system":"phone","value":"(03) 5555 6473","rank":1}],
  "managingOrganization":{"reference":"#o1"},"multipleBirthInteger":2})";

const hearth::fhir::JsonDocument& patient() {
  static const hearth::fhir::JsonDocument doc = [] {
    auto parsed = hearth::fhir::parse_json(kPatient);
    return std::move(*parsed);
  }();
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto expr = hearth::fhir::fhirpath::compile(text);
  if (!expr.is_ok()) return 0;
  hearth::fhir::fhirpath::EvalOptions options;
  options.now_micros = 1700000000000000;
  (void)hearth::fhir::fhirpath::evaluate(*expr, patient(), options);
  return 0;
}
