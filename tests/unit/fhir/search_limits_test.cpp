// The bounds of fhir/search/search_query.h (SearchLimits): parameters, values per parameter and
// _sort keys, each accepted at its limit and refused one beyond with a message naming the limit
// and its flag; an oversized value list is refused without being split first.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/search_query.h"
#include "fhir/search/search_value_parse.h"

namespace hearth::fhir::search {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kBase = "http://example.org/fhir";

Result<SearchQuery> parse(const Params& params, const SearchLimits& limits = {}) {
  return parse_search("Patient", params, kBase, /*strict=*/false, limits);
}

std::string values(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += (i > 0 ? "," : "") + std::to_string(i);
  return out;
}

std::string error(const Result<SearchQuery>& query) {
  REQUIRE_FALSE(query.is_ok());
  CHECK(query.status().code() == Code::kInvalidArgument);
  return query.status().message();
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("search limits: the defaults are 100 parameters, 100 values and 10 _sort keys") {
  SearchLimits limits;
  CHECK(limits.max_params == 100);
  CHECK(limits.max_values == 100);
  CHECK(limits.max_sort == 10);
}

TEST_CASE("search limits: parameters, known or unknown, beyond max_params are refused") {
  Params params;
  for (int i = 0; i < 100; ++i) params.emplace_back(i % 2 == 0 ? "family" : "unknown", "x");
  // Every result parameter on top does not count against max_params.
  params.emplace_back("_count", "5");
  params.emplace_back("_sort", "family");
  params.emplace_back("_total", "none");
  params.emplace_back("_format", "json");
  Result<SearchQuery> at_limit = parse(params);
  REQUIRE_MESSAGE(at_limit.is_ok(), at_limit.status().message());
  CHECK(at_limit->clauses.size() == 50);

  params.emplace_back("given", "y");
  std::string message = error(parse(params));
  CHECK(contains(message, "too many search parameters"));
  CHECK(contains(message, "at most 100"));
  CHECK(contains(message, "--search-max-params"));

  SearchLimits two{.max_params = 2};
  CHECK(parse({{"family", "a"}, {"given", "b"}}, two).is_ok());
  CHECK(contains(error(parse({{"family", "a"}, {"given", "b"}, {"gender", "male"}}, two)),
                 "at most 2"));
}

TEST_CASE("search limits: result parameters are bounded too") {
  Params params(kMaxResultParams, {"_count", "1"});
  CHECK(parse(params).is_ok());
  params.emplace_back("_count", "1");
  CHECK(contains(error(parse(params)), "result parameters"));
}

TEST_CASE("search limits: values of one parameter beyond max_values are refused") {
  Result<SearchQuery> at_limit = parse({{"identifier", values(100)}});
  REQUIRE_MESSAGE(at_limit.is_ok(), at_limit.status().message());
  REQUIRE(at_limit->clauses.size() == 1);
  CHECK(at_limit->clauses[0].values.size() == 100);

  std::string message = error(parse({{"identifier", values(101)}}));
  CHECK(contains(message, "too many values for search parameter 'identifier'"));
  CHECK(contains(message, "at most 100"));
  CHECK(contains(message, "--search-max-values"));
  // Empty alternatives count: each is a separator the server had to read.
  CHECK_FALSE(parse({{"family", std::string(100, ',')}}).is_ok());
  CHECK(parse({{"family", std::string(99, ',')}}).is_ok());
  // An escaped comma is part of a value, not a separator.
  std::string escaped;
  for (int i = 0; i < 500; ++i) escaped += "a\\,";
  CHECK(parse({{"family", escaped}}).is_ok());
}

TEST_CASE("search limits: a million values are refused without splitting them all") {
  std::string million;
  million.reserve(2'000'000);
  for (int i = 0; i < 1'000'000; ++i) million += "1,";
  auto start = std::chrono::steady_clock::now();
  std::string message = error(parse({{"identifier", million}}));
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(contains(message, "--search-max-values"));
  // Splitting a million strings takes far longer than reading 101 of them.
  CHECK(took < std::chrono::milliseconds(50));
  // The splitter itself stops after max_parts + 1 parts.
  CHECK(detail::split_unescaped(million, ',', 100).size() == 101);
  CHECK(detail::split_unescaped("a,b", ',', 100).size() == 2);
  CHECK(detail::split_unescaped("a,b,c", ',', 2) == std::vector<std::string>{"a", "b", "c"});
  CHECK(detail::split_unescaped("a,b,c,d", ',', 2) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("search limits: a token or quantity with many '|' is refused as malformed") {
  std::string pipes(100'000, '|');
  CHECK(error(parse({{"identifier", "a" + pipes}})).find("invalid token") != std::string::npos);
  CHECK_FALSE(parse_search("Observation", {{"value-quantity", "1" + pipes}}, kBase, false).is_ok());
}

TEST_CASE("search limits: _sort keys beyond max_sort are refused") {
  std::string ten =
      "family,given,birthdate,gender,address,-family,-given,-birthdate,-gender,"
      "-address";
  Result<SearchQuery> at_limit = parse({{"_sort", ten}});
  REQUIRE_MESSAGE(at_limit.is_ok(), at_limit.status().message());
  CHECK(at_limit->sort.size() == 10);
  std::string message = error(parse({{"_sort", ten + ",_id"}}));
  CHECK(contains(message, "too many _sort keys"));
  CHECK(contains(message, "at most 10"));
  CHECK(contains(message, "--search-max-sort"));
  std::string many;
  for (int i = 0; i < 3000; ++i) many += "family,";
  CHECK(contains(error(parse({{"_sort", many}})), "--search-max-sort"));
}

}  // namespace hearth::fhir::search

namespace hearth::fhir::search {

TEST_CASE("search limits: a :contains value is at most kMaxContainsBytes (a LIKE pattern)") {
  CHECK(parse({{"family:contains", std::string(detail::kMaxContainsBytes, 'a')}}).is_ok());
  std::string message =
      error(parse({{"family:contains", std::string(detail::kMaxContainsBytes + 1, 'a')}}));
  CHECK(message.find("at most 4096 bytes") != std::string::npos);
  // Other string searches are not LIKE patterns and take long values.
  CHECK(parse({{"family", std::string(100'000, 'a')}}).is_ok());
}

}  // namespace hearth::fhir::search
