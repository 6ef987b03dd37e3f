// Patch: arbitrary bytes as a JSON Patch (an array) or a FHIRPath Patch (a Parameters object),
// applied to a copy of a small fixed Patient. Invariants: nothing crashes or hangs; errors come
// back as values; whatever applies still serialises.
#include <cstdint>
#include <string_view>

#include "fhir/json.h"
#include "fhir/patch/fhirpath_patch.h"
#include "fhir/patch/json_patch.h"

namespace {

constexpr std::string_view kPatient = R"({"resourceType":"Patient","id":"f1",
  "contained":[{"resourceType":"Organization","id":"o1","name":"Clinic"}],
  "active":true,"name":[{"use":"official","family":"Chalmers","given":["Peter","James"]},
  {"given":["Jim"],"_given":[{"extension":[{"url":"http://example.org/y","valueString":"z"}]}]}],
  "birthDate":"1974-12-25","_birthDate":{"id":"b1"},"deceasedBoolean":false,
  "telecom":[{"system":"phone","value":"(03) 5555 6473","rank":1}],
  "contact":[{"name":{"text":"a"},"gender":"male"}],
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
  auto patch = hearth::fhir::parse_json(text);
  if (!patch.is_ok()) return 0;
  hearth::fhir::JsonDocument doc;
  doc.CopyFrom(patient(), doc.GetAllocator());
  hearth::Status applied = patch->IsArray()
                               ? hearth::fhir::patch::apply_json_patch(*patch, doc)
                               : hearth::fhir::patch::apply_fhirpath_patch(*patch, doc);
  if (applied.is_ok()) (void)hearth::fhir::write_json(doc);
  return 0;
}
