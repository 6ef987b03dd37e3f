// Percent-decoding, query/form splitting and URL encoding.
#include "core/url_encoding.h"

#include <doctest/doctest.h>

namespace hearth {
namespace {

TEST_CASE("percent_decode") {
  std::string out;
  CHECK(percent_decode("a%20b%2Fc", false, out));
  CHECK(out == "a b/c");
  CHECK(percent_decode("a+b", false, out));
  CHECK(out == "a+b");
  CHECK(percent_decode("a+b%2b", true, out));
  CHECK(out == "a b+");
  CHECK_FALSE(percent_decode("%4", false, out));
  CHECK_FALSE(percent_decode("%", false, out));
  CHECK_FALSE(percent_decode("%GG", false, out));
}

TEST_CASE("parse_query") {
  std::vector<std::pair<std::string, std::string>> query;
  CHECK(parse_query("name=Jo+Smith&&_count=10&flag&date=ge2020-01-01%2B02:00", query));
  REQUIRE(query.size() == 4);
  CHECK(query[0] == std::pair<std::string, std::string>{"name", "Jo Smith"});
  CHECK(query[1] == std::pair<std::string, std::string>{"_count", "10"});
  CHECK(query[2] == std::pair<std::string, std::string>{"flag", ""});
  CHECK(query[3] == std::pair<std::string, std::string>{"date", "ge2020-01-01+02:00"});
}

TEST_CASE("url_encode keeps unreserved characters and escapes the rest") {
  CHECK(url_encode("Chalmers") == "Chalmers");
  CHECK(url_encode("a b&c=d") == "a%20b%26c%3Dd");
  CHECK(url_encode("http://x.org/fhir|123") == "http:%2F%2Fx.org%2Ffhir%7C123");
  std::string decoded;
  CHECK(percent_decode(url_encode("ge2020-01-01+02:00,\\,x"), true, decoded));
  CHECK(decoded == "ge2020-01-01+02:00,\\,x");
}

TEST_CASE("percent_encode keeps only unreserved characters and those asked for") {
  CHECK(percent_encode("2026-11-23T18:02:02Z") == "2026-11-23T18%3A02%3A02Z");
  CHECK(percent_encode("A^B ~_.") == "A%5EB%20~_.");
  CHECK(percent_encode("a:b/c", ":/") == "a:b/c");
  CHECK(percent_encode(std::string_view("\xC3\xA9\x00", 3)) == "%C3%A9%00");
}

}  // namespace
}  // namespace hearth
