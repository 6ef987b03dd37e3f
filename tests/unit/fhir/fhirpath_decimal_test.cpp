// FHIRPath Decimal (fhir/fhirpath/decimal.h): exact arithmetic, scale kept as written,
// overflow as empty, the rounding functions and equivalence (http://hl7.org/fhirpath/N1/).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "fhir/fhirpath/decimal.h"

namespace hearth::fhir::fhirpath {
namespace {

Decimal d(const char* text) {
  auto v = Decimal::parse(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return *v;
}

std::string str(const std::optional<Decimal>& v) {
  return v ? v->to_string() : "<empty>";
}

}  // namespace

TEST_CASE("decimal: 0.1 + 0.2 = 0.3 exactly") {
  auto sum = d("0.1").add(d("0.2"));
  REQUIRE(sum);
  CHECK(*sum == d("0.3"));
  CHECK(sum->to_string() == "0.3");
  CHECK(str(d("1.8").subtract(d("1.2"))) == "0.6");
  CHECK(str(d("1.2").multiply(d("1.8"))) == "2.16");
  CHECK(str(d("1.2").add(d("1.8"))) == "3.0");
  CHECK(*d("1.2").add(d("1.8")) == d("3"));
}

TEST_CASE("decimal: parse keeps the written scale, to_string prints it") {
  CHECK(d("1.50").to_string() == "1.50");
  CHECK(d("1.50").scale() == 2);
  CHECK(d("1.50").precision() == 2);
  CHECK(d("0").to_string() == "0");
  CHECK(d("-0.001").to_string() == "-0.001");
  CHECK(d("+7").to_string() == "7");
  CHECK(d("007.5").to_string() == "7.5");
  CHECK(d("123456789012345678901234567890.123456").to_string() ==
        "123456789012345678901234567890.123456");
  CHECK(d("1.58700").precision() == 5);
}

TEST_CASE("decimal: exponents as FHIR JSON allows them") {
  CHECK(d("1e2").to_string() == "100");
  CHECK(d("1E+2").to_string() == "100");
  CHECK(d("1.5e-3").to_string() == "0.0015");
  CHECK(d("1.50e1").to_string() == "15.0");
  CHECK(d("-2.5E0").to_string() == "-2.5");
}

TEST_CASE("decimal: malformed text and out-of-range values are empty") {
  for (const char* bad : {"", "-", ".5", "5.", "1.2.3", "1e", "1e+", "abc", "1 ", " 1", "0x10",
                          "1,5", "--1", "1e-99", "1e99", "1234567890123456789012345678901234567"}) {
    CHECK_MESSAGE(!Decimal::parse(bad).has_value(), bad);
  }
  CHECK(Decimal::parse("123456789012345678901234567890123456").has_value());  // 36 digits
  // Trailing zeros beyond our room are dropped (the value is unchanged); other digits are not.
  CHECK(d("1.0000000000000000000000000000000000000000").to_string() ==
        "1.00000000000000000000000000000000000");
  CHECK(d("0.0000000000000000000000000000000000000000").is_zero());
  CHECK(d("0.0000000000000000000000000000000000000000").scale() == 36);
  CHECK(d("0.000000000000000000000000000000000001").to_string() ==
        "0.000000000000000000000000000000000001");
  CHECK_FALSE(Decimal::parse("0.0000000000000000000000000000000000001").has_value());
  CHECK_FALSE(Decimal::parse("12345678901234567890123456789012345600000").has_value());
  CHECK(Decimal::from_parts(1, 37) == std::nullopt);
  CHECK(Decimal::from_parts(-15, 1)->to_string() == "-1.5");
}

TEST_CASE("decimal: overflow yields empty") {
  Decimal big = d("999999999999999999999999999999999999");  // 10^36 - 1
  CHECK_FALSE(big.add(d("1")).has_value());
  CHECK_FALSE(big.negate().subtract(d("1")).has_value());
  CHECK_FALSE(big.multiply(d("10")).has_value());
  CHECK_FALSE(d("1000000000000000000000").multiply(d("1000000000000000000000")).has_value());
  CHECK_FALSE(big.divide(d("0.1")).has_value());
  CHECK(big.add(d("0")).has_value());
  // A sum wider than 36 digits keeps 36, rounding its lowest decimals.
  CHECK(str(big.add(d("0.1"))) == "999999999999999999999999999999999999");
  CHECK(str(d("99999999999999999999999999999999999.9").add(d("0.06"))) ==
        "100000000000000000000000000000000000");
  CHECK(str(d("99999999999999999999999999999999999.9").add(d("0.1"))) ==
        "100000000000000000000000000000000000");
  CHECK(str(d("1234567890123456789012345678901234.5").add(d("0.000000000001"))) ==
        "1234567890123456789012345678901234.50");
}

TEST_CASE("decimal: multiplication is exact; trailing zeros give way before overflow") {
  CHECK(str(d("0.1").multiply(d("0.1"))) == "0.01");
  CHECK(str(d("-1.5").multiply(d("2"))) == "-3.0");
  CHECK(str(d("123456789.123456789").multiply(d("987654321.987654321"))) ==
        "121932631356500531.347203169112635269");
  // A product wider than 128 bits is rounded once, on its exact value, to 36 digits.
  CHECK(str(d("-49016796649472460.9711471049746507").multiply(d("-505.2366712768"))) ==
        "24765083175831269399.8137675654935777");
  CHECK(str(d("652.305520340930").multiply(d("6539853585604.1307871616"))) ==
        "4265982596110999.33020747312129900429");
  CHECK(str(d("0.45").multiply(d("0.000000000000000000000000000000000001"))) ==
        "0.000000000000000000000000000000000000");  // 4.5e-37 at 36 decimals: one rounding
  CHECK(str(d("0.55").multiply(d("0.000000000000000000000000000000000001"))) ==
        "0.000000000000000000000000000000000001");
  // 10^20 * 10^20 (written with decimals) fits once the zeros after the point are dropped.
  CHECK(
      d("100000000000000000000.0000000000").multiply(d("100000000000000.0000000000")).has_value());
}

TEST_CASE("decimal: division keeps at least 16 significant digits") {
  CHECK(str(d("1").divide(d("2"))) == "0.5");
  CHECK(str(d("4.0").divide(d("2.0"))) == "2");
  CHECK(*d("4.0").divide(d("2.0")) == d("2.0"));
  CHECK(str(d("1").divide(d("2.0"))) == "0.5");
  CHECK(str(d("10").divide(d("4"))) == "2.5");
  CHECK(str(d("1.0").divide(d("3"))) == "0.33333333333333333333");
  CHECK(str(d("2").divide(d("3"))) == "0.66666666666666666667");
  CHECK(str(d("1.0").divide(d("3"))->round(2)) == "0.33");
  CHECK(str(d("1.2").divide(d("1.8"))->round(2)) == "0.67");  // official testDivide5
  CHECK(str(d("-7").divide(d("2"))) == "-3.5");
  CHECK(str(d("1000").divide(d("0.001"))) == "1000000");
  CHECK_FALSE(d("1").divide(d("0")).has_value());
  CHECK_FALSE(d("1").divide(d("0.00")).has_value());
}

TEST_CASE("decimal: div and mod") {
  CHECK(str(d("5").int_divide(d("2"))) == "2");
  CHECK(str(d("5.5").int_divide(d("0.7"))) == "7");
  CHECK(str(d("-5").int_divide(d("2"))) == "-2");
  CHECK(str(d("5").modulo(d("2"))) == "1");
  CHECK(str(d("5.5").modulo(d("0.7"))) == "0.6");
  CHECK(str(d("-5").modulo(d("2"))) == "-1");
  CHECK_FALSE(d("5").int_divide(d("0")).has_value());
  CHECK_FALSE(d("5").modulo(d("0.0")).has_value());
}

TEST_CASE("decimal: numeric equality and order ignore the scale") {
  CHECK(d("1.0") == d("1.00"));
  CHECK(d("1.0") == d("1"));
  CHECK_FALSE(d("1.0").identical(d("1.00")));
  CHECK(d("1.50").identical(d("1.50")));
  CHECK(d("0.1") < d("0.11"));
  CHECK(d("-0.1") > d("-0.11"));
  CHECK(d("-1") < d("0.5"));
  CHECK(d("100000000000000000000000000000000000") > d("0.000000000000000000000000000000000001"));
  CHECK(d("2.5").compare(d("2.50")) == 0);
  CHECK(d("-0.0") == d("0"));
}

TEST_CASE("decimal: equivalence rounds to the least precise operand") {
  CHECK(d("1.23").equivalent(d("1.2")));
  CHECK(d("1.2").equivalent(d("1.23")));
  CHECK(d("1.20").equivalent(d("1.23")));  // trailing zeros are not precision
  CHECK_FALSE(d("1.3").equivalent(d("1.23")));
  CHECK(d("0.5").equivalent(d("0.50")));
  CHECK_FALSE(d("1").equivalent(d("1.6")));  // 1.6 rounds to 2
  CHECK(d("1").equivalent(d("1.4")));
}

TEST_CASE("decimal: round, truncate, floor, ceiling, abs") {
  CHECK(str(d("3.14159").round(3)) == "3.142");
  CHECK(str(d("2.5").round()) == "3");
  CHECK(str(d("-2.5").round()) == "-3");  // half away from zero
  CHECK(str(d("-2.4").round()) == "-2");
  CHECK(str(d("3.1").round(2)) == "3.1");
  CHECK(str(d("0.005").round(2)) == "0.01");
  CHECK_FALSE(d("1.5").round(-1).has_value());
  CHECK(d("101.49").truncate().to_string() == "101");
  CHECK(d("-1.56").truncate().to_string() == "-1");
  CHECK(d("1.5").floor().to_string() == "1");
  CHECK(d("-1.5").floor().to_string() == "-2");
  CHECK(d("-2.0").floor().to_string() == "-2");
  CHECK(d("1.1").ceiling().to_string() == "2");
  CHECK(d("-1.1").ceiling().to_string() == "-1");
  CHECK(d("-5.50").abs().to_string() == "5.50");
  CHECK(d("1.500").normalized().to_string() == "1.5");
  CHECK(d("2.00").normalized().to_string() == "2");
}

TEST_CASE("decimal: integers, int64 and double conversions") {
  CHECK(Decimal::from_int64(-42).to_string() == "-42");
  CHECK(Decimal::from_int64(INT64_MIN).to_int64() == INT64_MIN);
  CHECK(d("2.00").is_integer());
  CHECK_FALSE(d("2.01").is_integer());
  CHECK(d("2.00").to_int64() == 2);
  CHECK_FALSE(d("2.5").to_int64().has_value());
  CHECK_FALSE(d("10000000000000000000").to_int64().has_value());
  CHECK(d("0.1").to_double() == 0.1);
  CHECK(d("-1.5e-3").to_double() == -0.0015);
  CHECK(Decimal::from_double(std::sqrt(16.0))->to_string() == "4");
  CHECK(Decimal::from_double(0.1)->to_string() == "0.1");
  CHECK(Decimal::from_double(1e20)->to_string() == "100000000000000000000");
  CHECK(Decimal::from_double(1e-300)->is_zero());
  CHECK_FALSE(Decimal::from_double(std::nan("")).has_value());
  CHECK_FALSE(Decimal::from_double(1e300).has_value());
  CHECK(Decimal::from_double(std::exp(1.0))->to_string() == "2.718281828459045");
}

TEST_CASE("decimal: math functions via double, exact integer powers") {
  CHECK(str(d("16").sqrt()) == "4");
  CHECK(str(d("2").sqrt()) == "1.4142135623730951");
  CHECK(str(d("-1").sqrt()) == "<empty>");
  CHECK(str(d("1").exp()) == "2.718281828459045");
  CHECK(str(d("0").exp()) == "1");
  CHECK(str(d("1").ln()) == "0");
  CHECK(str(d("0").ln()) == "<empty>");
  CHECK(str(d("100").log(d("10"))) == "2");
  CHECK(str(d("16").log(d("2"))) == "4");
  CHECK(str(d("5").log(d("1"))) == "<empty>");
  CHECK(str(d("2.5").power(d("2"))) == "6.25");
  CHECK(str(d("2").power(d("10"))) == "1024");
  CHECK(str(d("2").power(d("-2"))) == "0.25");
  CHECK(str(d("0").power(d("-1"))) == "<empty>");
  CHECK(str(d("-2").power(d("3"))) == "-8");
  CHECK(str(d("4").power(d("0.5"))) == "2");
  CHECK(str(d("-8").power(d("0.5"))) == "<empty>");
  CHECK(str(d("10").power(d("40"))) == "<empty>");  // overflow
  CHECK(str(d("1.1").power(d("0"))) == "1");
  CHECK(str(d("1000").exp()) == "<empty>");  // infinite as a double
}

}  // namespace hearth::fhir::fhirpath
