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

}  // namespace
}  // namespace hearth::fhir
