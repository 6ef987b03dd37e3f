// plain_token_lookup (api/rest/conditional.h): the lookup a conditional operation's criteria give
// without parse_search is the one parse_search and direct_token_lookup give, for every token
// parameter of every type, and nothing for any other shape of criteria.
#include <doctest/doctest.h>

#include <cstdio>
#include <optional>
#include <string>

#include "api/rest/conditional.h"
#include "fhir/model.h"
#include "fhir/search/search_query.h"

using namespace hearth;
using namespace hearth::api;

namespace {

// What find_matches found before plain_token_lookup: the criteria parsed as a search, then
// direct_token_lookup; nullopt when the parse fails or the search is not a direct lookup.
std::optional<storage::TokenLookup> through_search(const std::string& type,
                                                   const QueryParams& criteria,
                                                   fhir::search::SearchQuery& query) {
  Result<fhir::search::SearchQuery> parsed =
      fhir::search::parse_search(type, criteria, "http://h", /*strict=*/true, {});
  if (!parsed.is_ok()) return std::nullopt;
  query = std::move(parsed).value();
  return storage::direct_token_lookup(query, 2);
}

bool same(const storage::TokenLookup& a, const storage::TokenLookup& b) {
  return a.type == b.type && a.param == b.param && a.system == b.system && a.code == b.code &&
         a.limit == b.limit;
}

}  // namespace

TEST_CASE("plain token lookup: every token parameter of every type, as a search finds it") {
  int plain = 0, searched = 0;
  for (const fhir::SearchParamDef& param : fhir::search_params()) {
    if (param.type != fhir::SearchParamType::kToken) continue;
    for (std::string_view base : param.base) {
      const std::string type(base);
      const QueryParams criteria = {{std::string(param.code), "http://example.org/ids|A-17"}};
      fhir::search::SearchQuery query;
      const std::optional<storage::TokenLookup> expected = through_search(type, criteria, query);
      const std::optional<storage::TokenLookup> fast = plain_token_lookup(type, criteria, 2);
      INFO(type << "?" << param.code);
      if (fast) {
        ++plain;
        REQUIRE(expected.has_value());  // never a lookup the search would not make
        CHECK(same(*fast, *expected));
      } else if (expected) {
        ++searched;  // left to parse_search: an umbrella parameter (param_parts)
      }
    }
  }
  std::printf("token parameters looked up without a search: %d; through the search: %d\n", plain,
              searched);
  CHECK(plain > 300);
}

TEST_CASE("plain token lookup: anything but one plain system|code is left to the search") {
  const auto plain = [](std::string name, std::string value) {
    return plain_token_lookup("Patient", {{std::move(name), std::move(value)}}, 2).has_value();
  };
  CHECK(plain("identifier", "http://a|1"));
  CHECK_FALSE(plain("identifier", "1"));               // no system
  CHECK_FALSE(plain("identifier", "|1"));              // no system, explicitly
  CHECK_FALSE(plain("identifier", "http://a|"));       // any code of a system
  CHECK_FALSE(plain("identifier", "http://a|1,b|2"));  // OR
  CHECK_FALSE(plain("identifier", "http://a|1|2"));    // not one '|'
  CHECK_FALSE(plain("identifier", "http://a\\|b|1"));  // an escape
  CHECK_FALSE(plain("identifier", "a$b|1"));
  CHECK_FALSE(plain("identifier:of-type", "http://t|MR|1"));
  CHECK_FALSE(plain("organization.identifier", "http://a|1"));  // a chain
  CHECK_FALSE(plain("_id", "a|1"));
  CHECK_FALSE(plain("family", "a|1"));  // a string parameter
  CHECK_FALSE(plain("no-such-param", "a|1"));
  CHECK_FALSE(plain_token_lookup("NoSuchType", {{"identifier", "http://a|1"}}, 2).has_value());
  CHECK_FALSE(plain_token_lookup("Patient", {{"identifier", "http://a|1"}, {"active", "true"}}, 2)
                  .has_value());
  const QueryParams criteria = {{"identifier", "urn:oid:1.2.3|X-9"}};  // the lookup views it
  const std::optional<storage::TokenLookup> lookup = plain_token_lookup("Observation", criteria, 7);
  REQUIRE(lookup.has_value());
  CHECK(lookup->type == "Observation");
  CHECK(lookup->param == "identifier");
  CHECK(lookup->system == "urn:oid:1.2.3");
  CHECK(lookup->code == "X-9");
  CHECK(lookup->limit == 7);
}
