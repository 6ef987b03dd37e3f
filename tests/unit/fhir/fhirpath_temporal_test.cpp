// FHIRPath Date, DateTime and Time (fhir/fhirpath/temporal.h): parsing both FHIR and literal
// forms, printing, partial-precision comparison, timezones and calendar arithmetic. Expected
// values follow http://hl7.org/fhirpath/N1/ and the official R4 suite (tests-fhir-r4.xml) where
// it has a case; those are named.
#include <doctest/doctest.h>

#include <string>

#include "fhir/fhirpath/temporal.h"

namespace hearth::fhir::fhirpath {
namespace {

DateTime dt(const char* text) {
  auto v = DateTime::parse(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return *v;
}
Date date(const char* text) {
  auto v = Date::parse(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return *v;
}
Time tm(const char* text) {
  auto v = Time::parse(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return *v;
}
Quantity qty(const char* text) {
  auto v = parse_quantity_literal(text);
  REQUIRE_MESSAGE(v.has_value(), text);
  return *v;
}
template <typename T>
std::string str(const std::optional<T>& v) {
  return v ? v->to_string() : "<empty>";
}
std::string str(const std::optional<int>& v) {
  return v ? std::to_string(*v) : "<empty>";
}
std::string str(const std::optional<bool>& v) {
  return v ? (*v ? "true" : "false") : "<empty>";
}

}  // namespace

TEST_CASE("temporal: parse FHIR JSON forms and FHIRPath literal bodies") {
  CHECK(dt("2015-02-04T14:34:28.123+09:00").to_string() == "2015-02-04T14:34:28.123+09:00");
  CHECK(dt("2015-02-04T14:34:28Z").to_string() == "2015-02-04T14:34:28Z");
  CHECK(dt("2015-02-04T14:34:28-05:30").offset_minutes() == -330);
  CHECK(dt("2015").to_string() == "2015");
  CHECK(dt("2015T").to_string() == "2015");
  CHECK(dt("2015-02T").precision() == TemporalPrecision::kMonth);
  CHECK(dt("2015-02-04T14").to_string() == "2015-02-04T14");
  CHECK(dt("2015-02-04T14:34").precision() == TemporalPrecision::kMinute);
  CHECK(dt("2017-11-05T01:30:00.0-04:00").to_string() == "2017-11-05T01:30:00.000-04:00");
  CHECK(dt("2015-02-04T14:34:28.123456Z").millisecond() == 123);  // truncated to ms
  CHECK(dt("2015-02-04T14:34:28.5").millisecond() == 500);
  CHECK_FALSE(dt("2015-02-04T14:34").has_offset());

  CHECK(date("2015").to_string() == "2015");
  CHECK(date("2015-02").to_string() == "2015-02");
  CHECK(date("2024-02-29").to_string() == "2024-02-29");
  CHECK(date("2015-02-04").precision_digits() == 8);

  CHECK(tm("14:34:28").to_string() == "14:34:28");
  CHECK(tm("T14:34").to_string() == "14:34");
  CHECK(tm("T14").precision() == TemporalPrecision::kHour);
  CHECK(tm("14:34:28.123").precision_digits() == 9);
  CHECK(tm("T10:30").precision_digits() == 4);
  CHECK(dt("2014-01-05T10:30:00.000").precision_digits() == 17);  // official PrecisionDateTime*
  CHECK(dt("2014").precision_digits() == 4);
}

TEST_CASE("temporal: malformed and impossible values are empty") {
  for (const char* bad : {"",
                          "15",
                          "2015-2",
                          "2015-13",
                          "2015-00",
                          "2021-02-30",
                          "2023-02-29",
                          "2015-02-04T24:00",
                          "2015-02-04T14:60",
                          "2015-02-04T14:34:61",
                          "2015-02-04T14:34:28.",
                          "2015-02-04T14:34:28+15:00",
                          "2015-02-04T14:34:28+05",
                          "2015-02-04Z",
                          "2015T14",
                          "2015-02T14",
                          "0000",
                          "2015-02-04 14:34",
                          "2015-02-04T14:34:28Zjunk",
                          "T"}) {
    CHECK_MESSAGE(!DateTime::parse(bad).has_value(), bad);
  }
  CHECK_FALSE(Date::parse("2015-02-04T10").has_value());
  CHECK_FALSE(Date::parse("2015T").has_value());
  CHECK_FALSE(Time::parse("24:00").has_value());
  CHECK_FALSE(Time::parse("14:34Z").has_value());
  CHECK_FALSE(Time::parse("T").has_value());
  CHECK_FALSE(Time::parse("1:30").has_value());
  CHECK(parse_date("2015-02-04").has_value());
  CHECK(parse_datetime("2015-02-04T10:00:00Z").has_value());
  CHECK(parse_time("10:00").has_value());
  CHECK(dt("2015-02-04T14:34:28Z").to_date().to_string() == "2015-02-04");
  CHECK(dt("2015-02").to_date().to_string() == "2015-02");
  CHECK(date("2015-02").to_datetime().to_string() == "2015-02");
}

TEST_CASE("temporal: partial precision comparison is empty when undetermined") {
  CHECK(str(date("2012").compare(date("2012-01"))) == "<empty>");
  CHECK(str(date("2012").equals(date("2012-01"))) == "<empty>");
  CHECK(str(date("2012").compare(date("2013-01"))) == "-1");             // decided at the year
  CHECK(str(date("2018-03").compare(date("2018-03-01"))) == "<empty>");  // testLessOrEqual23
  CHECK(str(date("2012-04-15").equals(date("2012-04-15"))) == "true");
  CHECK(str(date("2012-04-15").equals(date("2012-04-16"))) == "false");
  // testEquality19: a Date against a DateTime is compared as DateTime.
  CHECK(str(date("2012-04-15").to_datetime().equals(dt("2012-04-15T10:00:00"))) == "<empty>");
  CHECK(str(dt("2012-04-15T15:00:00").equals(dt("2012-04-15T10:00:00"))) == "false");
  // testLessOrEqual24 / testGreaterThan24: minutes against seconds is undetermined.
  CHECK(str(dt("2012-01-01T10:30").compare(dt("2012-01-01T10:30:00"))) == "<empty>");
  CHECK(str(dt("2012-01-01T10:30").compare(dt("2012-01-01T10:31:00"))) == "-1");
}

TEST_CASE("temporal: seconds and milliseconds are one precision") {
  CHECK(str(dt("2012-04-15T15:30:31").equals(dt("2012-04-15T15:30:31.0"))) == "true");  // Eq21
  CHECK(str(dt("2012-04-15T15:30:31").equals(dt("2012-04-15T15:30:31.1"))) == "false");
  CHECK(str(dt("2018-03-01T10:30:00").compare(dt("2018-03-01T10:30:00.0"))) == "0");
  CHECK(dt("2012-04-15T15:30:31").equivalent(dt("2012-04-15T15:30:31.000")));  // Equivalent17
  CHECK_FALSE(dt("2012-04-15T15:30:31").equivalent(dt("2012-04-15T15:30:31.1")));
  CHECK(str(tm("10:30:00").compare(tm("10:30:00.0"))) == "0");   // testLessOrEqual27
  CHECK(str(tm("10:30").compare(tm("10:30:00"))) == "<empty>");  // testLessOrEqual25
  CHECK(str(tm("12:00:01").compare(tm("12:00:00"))) == "1");
  CHECK(str(tm("12:00:00").compare(tm("14:00:00"))) == "-1");
}

TEST_CASE("temporal: equivalence is false, never empty, across precisions") {
  CHECK(date("2012-04-15").equivalent(date("2012-04-15")));
  CHECK_FALSE(date("2012-04-15").equivalent(date("2012-04-16")));
  CHECK_FALSE(date("2012-04-15").to_datetime().equivalent(dt("2012-04-15T10:00:00")));
  CHECK_FALSE(date("2012").equivalent(date("2012-01")));
  CHECK_FALSE(tm("10:30").equivalent(tm("10:30:00")));
  CHECK(tm("10:30").equivalent(tm("10:30")));
}

TEST_CASE("temporal: timezones") {
  // Official testLiteralDateTimeTZ* and testEquality24.
  CHECK(str(dt("2017-11-05T01:30:00.0-04:00").compare(dt("2017-11-05T01:15:00.0-05:00"))) == "-1");
  CHECK(str(dt("2017-11-05T01:30:00.0-04:00").equals(dt("2017-11-05T00:30:00.0-05:00"))) == "true");
  CHECK(str(dt("2012-04-15T15:00:00+02:00").equals(dt("2012-04-15T16:00:00+03:00"))) == "true");
  CHECK(str(dt("2012-04-15T23:00:00-02:00").compare(dt("2012-04-16T00:30:00Z"))) == "1");
  // Exactly one offset: undetermined unless every possible offset agrees (testEquality23).
  CHECK(str(dt("2012-04-15T15:00:00Z").equals(dt("2012-04-15T10:00:00"))) == "<empty>");
  CHECK(str(dt("2012-04-15T15:00:00Z").compare(dt("2012-04-17T10:00:00"))) == "-1");
  CHECK_FALSE(dt("2012-04-15T15:00:00Z").equivalent(dt("2012-04-15T10:00:00")));
  // With the environment's offset supplied the missing one is known.
  CHECK(str(dt("2012-04-15T15:00:00Z").equals(dt("2012-04-15T10:00:00"), -300)) == "true");
  CHECK(str(dt("2012-04-15T10:00:00").equals(dt("2012-04-15T10:00:00"))) == "true");
  // Offsets with minutes shift exactly; normalisation may cross a day or a year.
  CHECK(str(dt("2012-04-15T10:00+05:30").equals(dt("2012-04-15T04:30Z"))) == "true");
  CHECK(str(dt("2012-12-31T23:00-02:00").equals(dt("2013-01-01T01:00Z"))) == "true");
  CHECK(str(dt("2012-04-15T10+05:30").compare(dt("2012-04-15T10+05:30"))) == "0");
}

TEST_CASE("temporal: calendar arithmetic with end-of-month clamping") {
  CHECK(str(date("2012-01-31").add(qty("1 month"))) == "2012-02-29");
  CHECK(str(date("2013-01-31").add(qty("1 month"))) == "2013-02-28");
  CHECK(str(date("2012-02-29").add(qty("1 year"))) == "2013-02-28");
  CHECK(str(date("2012-03-31").subtract(qty("1 month"))) == "2012-02-29");
  CHECK(str(date("1973-12-25").add(qty("7 days"))) == "1974-01-01");          // testPlusDate1
  CHECK(str(date("1973-12-25").add(qty("7.7 days"))) == "1974-01-01");        // testPlusDate2
  CHECK(str(date("1973-12-25").add(qty("1 week"))) == "1974-01-01");          // testPlusDate11
  CHECK(str(date("1973-12-25").add(qty("1 'wk'"))) == "1974-01-01");          // testPlusDate15
  CHECK(str(date("1973-12-25").add(qty("1 'd'"))) == "1973-12-26");           // testPlusDate13
  CHECK(str(date("1973-12-25").add(qty("1 month"))) == "1974-01-25");         // testPlusDate10
  CHECK(str(date("1973-12-25").add(qty("1 year"))) == "1974-12-25");          // testPlusDate12
  CHECK(str(date("1974-12-25").subtract(qty("1 'month'"))) == "1974-11-25");  // testMinus5
  CHECK(str(date("1973-12-25").add(qty("1 'mo'"))) == "<empty>");             // testPlusDate14
  CHECK(str(date("1973-12-25").add(qty("1 'a'"))) == "<empty>");              // testPlusDate16
  CHECK(str(date("1974-12-25").subtract(qty("1 'cm'"))) == "<empty>");        // testMinus6
  CHECK(str(date("9999-12-31").add(qty("1 day"))) == "<empty>");
  CHECK(str(date("0001-01-01").subtract(qty("1 day"))) == "<empty>");
  // Huge quantities are empty, never an overflow.
  CHECK(str(date("2012-01-01").add(qty("100000000000000 days"))) == "<empty>");
  CHECK(str(date("2012-01-01").add(qty("1000000000000000000 weeks"))) == "<empty>");
  CHECK(str(dt("2012-01-01T00:00Z").add(qty("9000000000000000000 'ms'"))) == "<empty>");
  CHECK(str(date("2012-01-01").add(qty("100000000000000000000 years"))) == "<empty>");
  CHECK(str(date("2012").subtract(qty("1 month"))) == "2012");  // 1 month is 0 years
  CHECK(str(date("2012").subtract(qty("13 months"))) == "2011");
}

TEST_CASE("temporal: DateTime arithmetic keeps offset and precision") {
  DateTime base = dt("1973-12-25T00:00:00.000+10:00");
  CHECK(str(base.add(qty("7 days"))) == "1974-01-01T00:00:00.000+10:00");    // testPlusDate3
  CHECK(str(base.add(qty("7.7 days"))) == "1974-01-01T00:00:00.000+10:00");  // testPlusDate4
  CHECK(str(base.add(qty("1 second"))) == "1973-12-25T00:00:01.000+10:00");  // testPlusDate5
  CHECK(str(base.add(qty("10 millisecond"))) == "1973-12-25T00:00:00.010+10:00");
  CHECK(str(base.add(qty("1 minute"))) == "1973-12-25T00:01:00.000+10:00");
  CHECK(str(base.add(qty("1 hour"))) == "1973-12-25T01:00:00.000+10:00");
  CHECK(str(base.add(qty("1 's'"))) == "1973-12-25T00:00:01.000+10:00");    // testPlusDate18
  CHECK(str(base.add(qty("0.1 's'"))) == "1973-12-25T00:00:00.000+10:00");  // testPlusDate19
  CHECK(str(base.add(qty("10 'ms'"))) == "1973-12-25T00:00:00.010+10:00");  // testPlusDate20
  CHECK(str(base.add(qty("1 'min'"))) == "1973-12-25T00:01:00.000+10:00");  // testPlusDate21
  CHECK(str(base.add(qty("1 'h'"))) == "1973-12-25T01:00:00.000+10:00");    // testPlusDate22
  CHECK(str(base.subtract(qty("1 'ms'"))) == "1973-12-24T23:59:59.999+10:00");
  CHECK(str(dt("2012-01-31T10:00Z").add(qty("1 month"))) == "2012-02-29T10:00Z");
  CHECK(str(dt("2012-12-31T23:59:59Z").add(qty("1 second"))) == "2013-01-01T00:00:00Z");
}

TEST_CASE("temporal: quantities finer than the value's precision are converted, truncated") {
  CHECK(str(date("2014").add(qty("24 months"))) == "2016");
  CHECK(str(date("2014").add(qty("23 months"))) == "2015");
  CHECK(str(date("2019-03-01").add(qty("24 hours"))) == "2019-03-02");
  CHECK(str(date("2019-03-01").add(qty("23 hours"))) == "2019-03-01");
  CHECK(str(dt("2019-03-01T10").add(qty("90 minutes"))) == "2019-03-01T11");
  CHECK(str(dt("2019-03-01T10:00:00").add(qty("1500 'ms'"))) == "2019-03-01T10:00:01");
  CHECK(str(date("2014-01").add(qty("45 days"))) == "2014-02");
  CHECK(date("2014-01").add(qty("45 days"))->precision() == TemporalPrecision::kMonth);
}

TEST_CASE("temporal: Time arithmetic wraps around midnight") {
  CHECK(str(tm("23:30").add(qty("1 hour"))) == "00:30");
  CHECK(str(tm("00:00:00.000").subtract(qty("1 'ms'"))) == "23:59:59.999");
  CHECK(str(tm("10:00").add(qty("90 'min'"))) == "11:30");
  CHECK(str(tm("10").add(qty("90 minutes"))) == "11");
  CHECK(str(tm("10:00").add(qty("1 day"))) == "<empty>");
  CHECK(str(tm("10:00").add(qty("1 'g'"))) == "<empty>");
}

TEST_CASE("temporal: today, now and timeOfDay are pure functions of the clock") {
  // 2024-02-29T23:30:15.250Z
  const std::int64_t micros = 1709249415250000;
  CHECK(DateTime::now(micros, 0).to_string() == "2024-02-29T23:30:15.250Z");
  CHECK(DateTime::now(micros, 60).to_string() == "2024-03-01T00:30:15.250+01:00");
  CHECK(DateTime::now(micros, -300).to_string() == "2024-02-29T18:30:15.250-05:00");
  CHECK(Date::today(micros, 0).to_string() == "2024-02-29");
  CHECK(Date::today(micros, 60).to_string() == "2024-03-01");
  CHECK(Time::time_of_day(micros, 0).to_string() == "23:30:15.250");
  CHECK(today(0, 0).to_string() == "1970-01-01");
  CHECK(now(-1000, 0).to_string() == "1969-12-31T23:59:59.999Z");
  CHECK(time_of_day(0, 90).to_string() == "01:30:00.000");
}

}  // namespace hearth::fhir::fhirpath
