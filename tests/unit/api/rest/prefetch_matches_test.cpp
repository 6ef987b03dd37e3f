// prefetch_matches (api/rest/conditional.h): the plain token lookups among several criteria go
// to the reader in one lookup_tokens call, each answer back at its criteria's place; anything
// else, a lone lookup, or a reader that fails leaves find_matches to answer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/rest/conditional.h"

using namespace hearth;
using namespace hearth::api;

namespace {

// Answers each lookup with one resource named after its code; counts the calls.
class RecordingReader : public storage::ResourceReader {
 public:
  Result<std::vector<std::vector<storage::ResourceVersion>>> lookup_tokens(
      std::span<const storage::TokenLookup> lookups) override {
    ++calls;
    asked.assign(lookups.begin(), lookups.end());
    if (fail) return Status(Code::kUnavailable, "down");
    std::vector<std::vector<storage::ResourceVersion>> out;
    for (const storage::TokenLookup& l : lookups) {
      storage::ResourceVersion v;
      v.type = std::string(l.type);
      v.id = std::string(l.code);
      out.push_back({v});
    }
    return out;
  }
  Result<storage::ResourceVersion> read(std::string_view, std::string_view,
                                        storage::ResourceVersion*) override {
    return Status(Code::kNotFound, "none");
  }
  Result<storage::ResourceVersion> vread(std::string_view, std::string_view,
                                         std::int64_t) override {
    return Status(Code::kNotFound, "none");
  }
  Result<storage::SearchPage> search(const fhir::search::SearchQuery&) override {
    return Status(Code::kNotImplemented, "none");
  }
  Result<std::vector<storage::ResourceVersion>> include(const storage::IncludeQuery&) override {
    return Status(Code::kNotImplemented, "none");
  }
  int calls = 0;
  bool fail = false;
  std::vector<storage::TokenLookup> asked;
};

}  // namespace

TEST_CASE("prefetch_matches: plain token lookups together, the rest left to find_matches") {
  const QueryParams patient = {{"identifier", "urn:mrn|123"}};
  const QueryParams chained = {{"subject:Patient.identifier", "urn:mrn|123"}};
  const QueryParams observation = {{"identifier", "urn:filler|9-1"}};
  const QueryParams no_system = {{"identifier", "123"}};
  const std::vector<std::pair<std::string_view, const QueryParams*>> criteria = {
      {"Patient", &patient},
      {"Observation", &chained},
      {"Observation", &observation},
      {"Patient", &no_system}};

  RecordingReader reader;
  auto found = prefetch_matches(reader, criteria, 1);
  REQUIRE(found.size() == 4);
  CHECK(reader.calls == 1);
  REQUIRE(reader.asked.size() == 2);
  CHECK(reader.asked[0].limit == 2);  // one more than `most`: "too many" stays visible
  REQUIRE(found[0].has_value());
  REQUIRE(found[0]->size() == 1);
  CHECK((*found[0])[0].id == "123");
  CHECK((*found[0])[0].type == "Patient");
  CHECK_FALSE(found[1].has_value());
  REQUIRE(found[2].has_value());
  CHECK((*found[2])[0].id == "9-1");
  CHECK((*found[2])[0].type == "Observation");
  CHECK_FALSE(found[3].has_value());

  // One plain lookup alone: nothing made together, find_matches asks.
  RecordingReader lone;
  auto single = prefetch_matches(lone, std::span(criteria).first(2), 1);
  CHECK(lone.calls == 0);
  CHECK_FALSE(single[0].has_value());

  // A failing reader: no answer kept; find_matches asks again and reports the error.
  RecordingReader failing;
  failing.fail = true;
  auto failed = prefetch_matches(failing, criteria, 1);
  CHECK(failing.calls == 1);
  for (const auto& f : failed) CHECK_FALSE(f.has_value());
}
