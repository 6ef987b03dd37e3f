// FHIRPath Decimal (fhir/fhirpath/decimal.h): exact arithmetic, scale kept as written,
// overflow as empty, rounding functions.
#include "fhir/fhirpath/decimal.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::fhir::fhirpath {
namespace {

Decimal d(const char* text) {
  auto v = Decimal::parse(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return *v;
}

}  // namespace

TEST_CASE("decimal: 0.1 + 0.2 = 0.3 exactly") {
  auto sum = d("0.1").add(d("0.2"));
  REQUIRE(sum);
  CHECK(*sum == d("0.3"));
  CHECK(sum->to_string() == "0.3");
}

}  // namespace hearth::fhir::fhirpath
