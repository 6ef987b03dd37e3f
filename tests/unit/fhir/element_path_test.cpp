// The one element-path builder: what validation and the codecs put in an issue's expression.
#include "fhir/element_path.h"

#include <doctest/doctest.h>

#include <vector>

namespace hearth::fhir {
namespace {

TEST_CASE("element_path joins steps with their indexes, then the last name") {
  std::vector<PathStep> steps{{"Patient", -1}, {"name", 1}, {"given", 0}};
  CHECK(element_path(steps) == "Patient.name[1].given[0]");
  CHECK(element_path(steps, "extension") == "Patient.name[1].given[0].extension");
  CHECK(element_path({}) == "");
  CHECK(element_path({}, "Patient") == "Patient");
  std::vector<PathStep> bundle{{"Bundle", -1}, {"entry", 0}, {"resource", -1}};
  CHECK(element_path(bundle) == "Bundle.entry[0].resource");
}

TEST_CASE("a choice step is written as the official validator writes it") {
  std::vector<PathStep> steps{{"Observation", -1}, {"valueQuantity", -1, "Quantity"}};
  CHECK(element_path(steps) == "Observation.value.ofType(Quantity)");
  CHECK(element_path(steps, "code") == "Observation.value.ofType(Quantity).code");
  std::vector<PathStep> primitive{{"Extension", -1}, {"valueString", -1, "string"}};
  CHECK(element_path(primitive) == "Extension.value.ofType(string)");
  std::vector<PathStep> repeated{{"Patient", -1}, {"extension", 2}, {"valueCoding", -1, "Coding"}};
  CHECK(element_path(repeated) == "Patient.extension[2].value.ofType(Coding)");
}

}  // namespace
}  // namespace hearth::fhir
