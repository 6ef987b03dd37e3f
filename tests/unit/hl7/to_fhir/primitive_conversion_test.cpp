// v2 values converted to FHIR primitives, and the values each FHIR type refuses.
#include "hl7/to_fhir/primitive_conversion.h"

#include <doctest/doctest.h>

namespace hearth::hl7::to_fhir {
namespace {

std::string converted(std::string_view text, std::string_view type,
                      const ConversionOptions& options = {}) {
  Result<std::string> out = to_fhir_primitive(text, type, options);
  const std::string what = std::string(text) + " as " + std::string(type);
  REQUIRE_MESSAGE(out.is_ok(), what);
  return *out;
}

bool refused(std::string_view text, std::string_view type) {
  return !to_fhir_primitive(text, type).is_ok();
}

}  // namespace

TEST_CASE("v2 to FHIR primitives: dates and times") {
  CHECK(converted("19620320", "date") == "1962-03-20");
  CHECK(converted("196203", "date") == "1962-03");
  CHECK(converted("1962", "date") == "1962");
  CHECK(converted("196203201230", "date") == "1962-03-20");
  CHECK(converted("196203201230", "dateTime") == "1962-03-20T12:30:00Z");
  CHECK(converted("1962032012", "dateTime") == "1962-03-20T12:00:00Z");
  CHECK(converted("19620320123045.12-0500", "dateTime") == "1962-03-20T12:30:45.12-05:00");
  CHECK(converted("20260101000000+0000", "instant") == "2026-01-01T00:00:00Z");
  CHECK(converted("19620320", "dateTime") == "1962-03-20");
  ConversionOptions berlin;
  berlin.default_offset = "+01:00";
  CHECK(converted("196203201230", "dateTime", berlin) == "1962-03-20T12:30:00+01:00");
  CHECK(converted("1230", "time") == "12:30:00");
  CHECK(converted("123045", "time") == "12:30:45");
  CHECK(refused("19621320", "date"));  // month 13
  CHECK(refused("19620332", "date"));  // day 32
  CHECK(refused("1962032", "date"));   // 7 digits
  CHECK(refused("19620320", "instant"));
  CHECK(refused("196203202460", "dateTime"));
  CHECK(refused("19620320123045-05", "dateTime"));
  CHECK(refused("abc", "dateTime"));
  CHECK(refused("2460", "time"));
}

TEST_CASE("v2 to FHIR primitives: numbers, booleans, codes") {
  CHECK(converted("+007.50", "decimal") == "7.50");
  CHECK(converted("-.5", "decimal") == "-0.5");
  CHECK(converted("12.", "decimal") == "12");
  CHECK(converted("3", "positiveInt") == "3");
  CHECK(converted("0", "unsignedInt") == "0");
  CHECK(refused("0", "positiveInt"));
  CHECK(refused("1.5", "integer"));
  CHECK(refused("99999999999", "integer"));
  CHECK(refused("1e5", "decimal"));
  CHECK(refused(".", "decimal"));
  CHECK(converted("Y", "boolean") == "true");
  CHECK(converted("n", "boolean") == "false");
  CHECK(refused("maybe", "boolean"));
  CHECK(converted("  in   patient ", "code") == "in patient");
  CHECK(refused("   ", "code"));
  CHECK(converted(" NIST MPI ", "uri") == "NIST%20MPI");  // HD.1 as a system, found again
  CHECK(converted("urn:a\tb", "url") == "urn:a%09b");
  CHECK(refused("  ", "uri"));
  CHECK(refused("a b", "id"));
  CHECK(converted("Free  text ", "string") == "Free  text ");
}

TEST_CASE("durations: a start plus a v2 duration, in the start's zone") {
  CHECK(duration_seconds("15", "") == 900);  // minutes when the unit is empty
  CHECK(duration_seconds("15", "MIN") == 900);
  CHECK(duration_seconds("2", "h") == 7200);
  CHECK(duration_seconds("30", "s") == 30);
  CHECK_FALSE(duration_seconds("1.5", "h"));
  CHECK_FALSE(duration_seconds("3", "furlong"));
  CHECK(add_seconds("2018-10-17T22:28:05Z", 900) == "2018-10-17T22:43:05Z");
  CHECK(add_seconds("2018-10-17T23:50:00+02:15", 1800) == "2018-10-18T00:20:00+02:15");
  CHECK(add_seconds("2018-12-31T23:59:59-05:00", 1) == "2019-01-01T00:00:00-05:00");
  CHECK(add_seconds("2018-10-17", 60).empty());           // no time of day
  CHECK(add_seconds("2018-10-17T22:28:05", 60).empty());  // no zone
}

}  // namespace hearth::hl7::to_fhir
