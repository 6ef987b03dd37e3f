// FHIRPath Quantity (fhir/fhirpath/quantity.h): literals, UCUM conversion through the built-in
// table, calendar keywords against UCUM durations, and quantity arithmetic. Cases from the
// official R4 suite (tests-fhir-r4.xml) are named.
#include <doctest/doctest.h>

#include <string>

#include "fhir/fhirpath/quantity.h"

namespace hearth::fhir::fhirpath {
namespace {

Quantity q(const char* text) {
  auto v = parse_quantity_literal(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return *v;
}
std::string str(const std::optional<bool>& v) {
  return v ? (*v ? "true" : "false") : "<empty>";
}
std::string str(const std::optional<int>& v) {
  return v ? std::to_string(*v) : "<empty>";
}
std::string str(const std::optional<Quantity>& v) {
  return v ? to_string(*v) : "<empty>";
}

}  // namespace

TEST_CASE("quantity: literals") {
  CHECK(to_string(q("4 'mg'")) == "4 'mg'");
  CHECK(to_string(q("10.1 'mg'")) == "10.1 'mg'");
  CHECK(to_string(q("3 days")) == "3 days");
  CHECK(to_string(q("1 year")) == "1 year");
  CHECK(to_string(q("1 'wk'")) == "1 'wk'");  // testQuantityLiteralWkToString
  CHECK(to_string(q("1 week")) == "1 week");  // testQuantityLiteralWeekToString
  CHECK(to_string(q("1.50'g'")) == "1.50 'g'");
  CHECK(q("-2.5 'cm'").value.to_string() == "-2.5");
  CHECK(q("7").unit == "1");
  CHECK(q("1 'mm[Hg]'").unit == "mm[Hg]");
  CHECK(q("1 'it\\'s'").unit == "it's");
  for (const char* bad :
       {"", "mg", "4 mg", "4 wk", "1.a", "4 'mg", "4 ''", "4 'mg' x", "1 fortnight", "4 'mg''"}) {
    CHECK_MESSAGE(!parse_quantity_literal(bad).has_value(), bad);
  }
}

TEST_CASE("quantity: calendar keywords and their UCUM counterparts") {
  CHECK(is_calendar_unit("years"));
  CHECK(is_calendar_unit("millisecond"));
  CHECK_FALSE(is_calendar_unit("a"));
  CHECK_FALSE(is_calendar_unit("yearss"));
  CHECK(calendar_unit_of("days") == "day");
  CHECK(calendar_unit_of("a") == "year");
  CHECK(calendar_unit_of("min") == "minute");
  CHECK_FALSE(calendar_unit_of("g").has_value());
}

TEST_CASE("quantity: UCUM conversion for comparable units") {
  CHECK(str(equals(q("1000 'mg'"), q("1 'g'"))) == "true");
  CHECK(str(equals(q("4.0000 'g'"), q("4000.0 'mg'"))) == "true");  // testQuantity1
  CHECK(str(equals(q("4 'g'"), q("4040 'mg'"))) == "false");        // testQuantity3
  CHECK(str(compare(q("4 'g'"), q("4000 'ug'"))) == "1");
  CHECK(str(compare(q("1 'kg'"), q("1000000 'mg'"))) == "0");
  CHECK(str(compare(q("1 '[in_i]'"), q("2.54 'cm'"))) == "0");
  CHECK(str(compare(q("1 '[ft_i]'"), q("12 '[in_i]'"))) == "0");
  CHECK(str(compare(q("1 'km'"), q("999999 'mm'"))) == "1");
  CHECK(str(equals(q("1 'L'"), q("1000 'mL'"))) == "true");
  CHECK(str(equals(q("1 'dL'"), q("100 'mL'"))) == "true");
  CHECK(str(equals(q("1 'mL'"), q("1 'cm3'"))) == "true");
  CHECK(str(equals(q("1 'm2'"), q("10000 'cm2'"))) == "true");
  CHECK(str(equals(q("1 'g/dL'"), q("10 'mg/mL'"))) == "true");
  CHECK(str(equals(q("60 '/min'"), q("1 '/s'"))) == "true");
  CHECK(str(equals(q("1 'mmol/L'"), q("1 'umol/mL'"))) == "true");
  CHECK(str(equals(q("50 '%'"), q("0.5 '1'"))) == "true");
  CHECK(str(equals(q("1 'h'"), q("3600 's'"))) == "true");
  CHECK(str(equals(q("1 'a'"), q("365.25 'd'"))) == "true");
  CHECK(str(equals(q("12 'mo'"), q("1 'a'"))) == "true");
  CHECK(units_comparable("cm", "[in_i]"));     // Comparable1
  CHECK_FALSE(units_comparable("cm", "[s]"));  // Comparable2
  CHECK_FALSE(units_comparable("cm", "s"));    // Comparable3
  CHECK(str(convert(q("2.54 'cm'"), "[in_i]")) == "1 '[in_i]'");
  CHECK(str(convert(q("1.5 'g'"), "mg")) == "1500 'mg'");
  CHECK(str(convert(q("1 'g'"), "m")) == "<empty>");
}

TEST_CASE("quantity: not comparable is empty for = and <, false for ~") {
  CHECK(str(equals(q("1 'g'"), q("1 'm'"))) == "<empty>");
  CHECK(str(compare(q("1 'g'"), q("1 'm'"))) == "<empty>");
  CHECK_FALSE(equivalent(q("1 'g'"), q("1 'm'")));
  CHECK(str(equals(q("1 '[s]'"), q("1 'cm'"))) == "<empty>");
  // Unknown units compare when spelled identically.
  CHECK(str(equals(q("3 '{beats}'"), q("3.0 '{beats}'"))) == "true");
  CHECK(str(equals(q("3 'xyz'"), q("3 'abc'"))) == "<empty>");
}

TEST_CASE("quantity: calendar durations against UCUM durations (N1 Equality/Equivalence)") {
  CHECK(str(equals(q("7 days"), q("1 week"))) == "true");  // testQuantity5
  CHECK(str(equals(q("7 days"), q("1 'wk'"))) == "true");  // testQuantity6
  CHECK(str(compare(q("6 days"), q("1 week"))) == "-1");   // testQuantity7
  CHECK(str(compare(q("8 days"), q("1 week"))) == "1");    // testQuantity8
  CHECK(str(equals(q("1 day"), q("1 'd'"))) == "true");
  CHECK(str(equals(q("1 second"), q("1 's'"))) == "true");
  CHECK(str(equals(q("1 hour"), q("60 minutes"))) == "true");
  CHECK(str(equals(q("1 year"), q("1 'a'"))) == "<empty>");    // testStringQuantityYear...
  CHECK(str(equals(q("1 month"), q("1 'mo'"))) == "<empty>");  // testStringQuantityMonth...
  CHECK(str(equals(q("1 month"), q("30 days"))) == "<empty>");
  CHECK(str(equals(q("1 year"), q("12 months"))) == "<empty>");  // conversion is explicit
  CHECK(str(compare(q("2 years"), q("13 months"))) == "<empty>");
  CHECK(str(compare(q("2 years"), q("1 year"))) == "1");
  CHECK(equivalent(q("1 year"), q("12 months")));
  CHECK(equivalent(q("1 year"), q("1 'a'")));
  CHECK(equivalent(q("1 month"), q("1 'mo'")));
  CHECK(equivalent(q("1 second"), q("1 's'")));
}

TEST_CASE("quantity: equivalence compares at the least precise value") {
  CHECK(equivalent(q("4 'g'"), q("4000 'mg'")));    // testQuantity2
  CHECK(equivalent(q("4 'g'"), q("4040 'mg'")));    // testQuantity4
  CHECK(equivalent(q("4.0 'g'"), q("4040 'mg'")));  // trailing zeros are not precision
  CHECK_FALSE(equivalent(q("4.1 'g'"), q("4040 'mg'")));
  CHECK(equivalent(q("1.0 '1'"), q("1 '1'")));  // testStringDecimalLiteralToQuantity
}

TEST_CASE("quantity: addition and subtraction convert to the left unit") {
  CHECK(str(add(q("1 'g'"), q("500 'mg'"))) == "1.500 'g'");
  CHECK(str(subtract(q("1 'm'"), q("1 'cm'"))) == "0.99 'm'");
  CHECK(str(add(q("1 day"), q("12 hours"))) == "1.5 day");
  CHECK(str(add(q("1 year"), q("6 months"))) == "<empty>");
  CHECK(str(add(q("1 year"), q("2 years"))) == "3 year");
  CHECK(str(add(q("1 'g'"), q("1 'm'"))) == "<empty>");
  CHECK(str(add(q("1 year"), q("1 'd'"))) == "<empty>");
}

TEST_CASE("quantity: multiplication and division with simple unit algebra") {
  auto area = multiply(q("2.0 'cm'"), q("2.0 'm'"));
  REQUIRE(area);
  CHECK(str(equals(*area, q("0.040 'm2'"))) == "true");  // testQuantity9
  auto density = divide(q("4.0 'g'"), q("2.0 'm'"));
  REQUIRE(density);
  CHECK(str(equals(*density, q("2 'g/m'"))) == "true");       // testQuantity10
  CHECK(str(divide(q("1.0 'm'"), q("1.0 'm'"))) == "1 '1'");  // testQuantity11
  CHECK(str(multiply(q("3 'm'"), q("2 'm'"))) == "6 'm2'");
  CHECK(str(multiply(q("3 'mg'"), q("2"))) == "6 'mg'");
  CHECK(str(divide(q("10 'mg'"), q("2 'mL'"))) == "5 'mg/mL'");
  CHECK(str(divide(q("1"), q("2 's'"))) == "0.5 '/s'");
  auto rate = divide(q("6 'g'"), *multiply(q("2 'L'"), q("3 'h'")));
  REQUIRE(rate);
  CHECK(rate->unit == "g/(L.h)");
  CHECK(str(equals(*rate, q("1000 'mg/(L.h)'"))) == "true");
  CHECK(str(divide(q("1 'g'"), q("0 'L'"))) == "<empty>");
  CHECK(str(multiply(q("2 days"), q("3"))) == "6 days");
}

}  // namespace hearth::fhir::fhirpath
