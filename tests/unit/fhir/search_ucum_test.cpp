// UCUM canonical units (fhir/search/ucum.h): the factors and canonical units come from the
// generated tables (the UCUM essence's data); the cases state what UCUM defines.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "fhir/search/ucum.h"

namespace hearth::fhir::search {
namespace {

// value in `code` -> value in its canonical unit; checks the unit too.
double canonical(const char* code, double value, const char* unit) {
  auto c = ucum_canonical(code);
  REQUIRE_MESSAGE(c.has_value(), code);
  CHECK_MESSAGE(c->unit == unit, code);
  return value * c->factor;
}

bool near(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::fabs(b);
}

TEST_CASE("ucum: common clinical units convert to base units") {
  CHECK(near(canonical("mg", 5.4, "g"), 0.0054));
  CHECK(near(canonical("ug", 5400, "g"), 0.0054));
  CHECK(near(canonical("kg", 70, "g"), 70000));
  CHECK(near(canonical("[lb_av]", 1, "g"), 453.59237));
  CHECK(near(canonical("cm", 180, "m"), 1.8));
  CHECK(near(canonical("[in_i]", 1, "m"), 0.0254));
  CHECK(near(canonical("mL", 250, "m3"), 0.00025));
  CHECK(near(canonical("L", 1, "m3"), 0.001));
  CHECK(near(canonical("mm[Hg]", 1, "m-1.s-2.g"), 133322));
  CHECK(near(canonical("kPa", 1, "m-1.s-2.g"), 1e6));
  CHECK(near(canonical("h", 2, "s"), 7200));
  CHECK(near(canonical("wk", 1, "s"), 604800));
  CHECK(near(canonical("mg/dL", 100, "m-3.g"), 1000));
  CHECK(near(canonical("g/L", 1, "m-3.g"), 1000));
  CHECK(near(canonical("mmol/L", 5, "m-3.mol"), 5));
  CHECK(near(canonical("umol/L", 5000, "m-3.mol"), 5));
  CHECK(near(canonical("%", 50, "1"), 0.5));
  CHECK(near(canonical("/min", 60, "s-1"), 1));
  CHECK(near(canonical("10*3/uL", 1, "m-3"), 1e12));
  CHECK(near(canonical("10*9/L", 1, "m-3"), 1e12));
}

TEST_CASE("ucum: products, quotients, exponents, prefixes and annotations") {
  CHECK(near(canonical("mg/kg/d", 86400, "s-1"), 1e-6));  // g/g cancels
  CHECK(near(canonical("kg.m-2", 1, "m-2.g"), 1000));
  CHECK(near(canonical("kg/m2", 1, "m-2.g"), 1000));
  CHECK(near(canonical("dag", 1, "g"), 10));  // "da" before "d"
  CHECK(near(canonical("{cells}/uL", 1, "m-3"), 1e9));
  CHECK(near(canonical("{score}", 3, "1"), 3));
  CHECK(near(canonical("ng/mL", 1, "m-3.g"), 1e-3));
  CHECK(canonical("meq/L", 1, "m-3.eq") > 0);
  // Never meet: mol-based and counted units, mol and eq.
  CHECK(ucum_canonical("mmol/L")->unit != ucum_canonical("10*3/uL")->unit);
  CHECK(ucum_canonical("mol")->unit != ucum_canonical("eq")->unit);
}

TEST_CASE("ucum: what does not convert") {
  for (const char* code : {"Cel", "[degF]", "[pH]", "[IU]", "[IU]/L", "mg/(24.h)", "bogus", "kcd.x",
                           "", "m/", "m..s", "10*99", "s12"}) {
    CHECK_MESSAGE(!ucum_canonical(code).has_value(), code);
  }
  CHECK(!ucum_canonical(std::string(kMaxUcumCode + 1, 'm')).has_value());
  CHECK(!ucum_canonical("m.m.m.m.m.m.m.m.m").has_value());  // more than kMaxUcumTerms terms
  CHECK(near(canonical("Mg", 1, "g"), 1e6));                // case-sensitive: mega, not milli
}

TEST_CASE("ucum: index rows and search values meet in canonical units") {
  auto doc = parse_json(
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
      R"("valueQuantity":{"value":5400,"unit":"µg","system":"http://unitsofmeasure.org","code":"ug"}})");
  REQUIRE(doc.is_ok());
  auto values = extract_index(*doc);
  REQUIRE(values.is_ok());
  int canonical_rows = 0;
  for (const QuantityIndex& q : values->quantities) {
    if (q.system != kUcumCanonicalSystem) continue;
    ++canonical_rows;
    CHECK(q.code == "g");
    CHECK(near(q.value, 0.0054));
  }
  CHECK(canonical_rows >= 1);
  auto query = parse_search("Observation", {{"value-quantity", "5.4|http://unitsofmeasure.org|mg"}},
                            "http://h/fhir", true);
  REQUIRE(query.is_ok());
  const SearchValue& v = query->clauses.at(0).values.at(0);
  CHECK(v.system == kUcumCanonicalSystem);
  CHECK(v.code == "g");
  CHECK(near(v.number, 0.0054));
  CHECK(near(v.number_low, 0.00535));
  CHECK(near(v.number_high, 0.00545));
  // Another system, or a unit that does not convert, stays as written.
  auto other =
      parse_search("Observation", {{"value-quantity", "5.4|http://x|mg"}}, "http://h/fhir", true);
  REQUIRE(other.is_ok());
  CHECK(other->clauses.at(0).values.at(0).code == "mg");
}

}  // namespace
}  // namespace hearth::fhir::search
