#include "core/time_format.h"

#include <doctest/doctest.h>

using hearth::format_http_date;
using hearth::format_instant;
using hearth::parse_instant_lower_bound;

TEST_CASE("format_instant writes UTC with microseconds") {
  CHECK(format_instant(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(format_instant(1'795'456'920'123'456) == "2026-11-23T18:02:00.123456Z");
  CHECK(format_instant(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_instant(951'782'400'000'007) == "2000-02-29T00:00:00.000007Z");
  CHECK(format_instant(253'402'300'799'999'999) == "9999-12-31T23:59:59.999999Z");
  // Years of other widths take the general path.
  CHECK(format_instant(253'402'300'800'000'000) == "10000-01-01T00:00:00.000000Z");
  CHECK(format_instant(-62'167'219'200'000'001) == "-001-12-31T23:59:59.999999Z");
}

TEST_CASE("format_instant reads back as the same instant across the years") {
  for (std::int64_t micros = -62'135'596'800'000'000; micros < 253'402'300'800'000'000;
       micros += 7'777'777'777'777'777) {
    CAPTURE(micros);
    CHECK(parse_instant_lower_bound(format_instant(micros)) == micros);
  }
}

TEST_CASE("format_http_date writes RFC 7231 dates") {
  CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(format_http_date(1'795'456'920'123'456) == "Mon, 23 Nov 2026 18:02:00 GMT");
  CHECK(format_http_date(951'782'400'000'007) == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(format_http_date(253'402'300'799'999'999) == "Fri, 31 Dec 9999 23:59:59 GMT");
  CHECK(format_http_date(-1) == "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST_CASE("parse_instant_lower_bound reads every FHIR dateTime precision") {
  CHECK(parse_instant_lower_bound("1970") == 0);
  CHECK(parse_instant_lower_bound("1970-01") == 0);
  CHECK(parse_instant_lower_bound("1970-01-02") == 86'400'000'000);
  CHECK(parse_instant_lower_bound("2026-11-23T18:02:00.123456Z") == 1'795'456'920'123'456);
  CHECK(parse_instant_lower_bound("2026-11-23T20:02:00.123456+02:00") == 1'795'456'920'123'456);
  CHECK(parse_instant_lower_bound("2026-11-23T18:02:00.1Z") == 1'795'456'920'100'000);
  CHECK(parse_instant_lower_bound("1970-01-01T00:00Z") == 0);
}

TEST_CASE("parse_instant_lower_bound rejects malformed text") {
  CHECK_FALSE(parse_instant_lower_bound(""));
  CHECK_FALSE(parse_instant_lower_bound("197"));
  CHECK_FALSE(parse_instant_lower_bound("2026-13"));
  CHECK_FALSE(parse_instant_lower_bound("2026-02-30"));
  CHECK_FALSE(parse_instant_lower_bound("2026-11-23T25:00Z"));
  CHECK_FALSE(parse_instant_lower_bound("2026-11-23T18:02:00.Z"));
  CHECK_FALSE(parse_instant_lower_bound("2026-11-23T18:02:00Zjunk"));
  CHECK_FALSE(parse_instant_lower_bound("2026-11-23T18:02:00+2:00"));
}
