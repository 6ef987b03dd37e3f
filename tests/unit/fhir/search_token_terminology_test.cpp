// Token modifiers answered from the built-in terminology (fhir/search/token_terminology.h):
// :in, :not-in, :below and :above become plain system|code alternatives at parse time.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/search_query.h"
#include "fhir/search/token_terminology.h"

namespace hearth::fhir::search {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kBase = "http://example.org/fhir";
constexpr const char* kParticipation = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

SearchClause only_clause(std::string_view type, const Params& params) {
  Result<SearchQuery> query = parse_search(type, params, kBase, true);
  INFO(query.status().message());
  REQUIRE(query.is_ok());
  REQUIRE(query.value().clauses.size() == 1);
  return query.value().clauses[0];
}

// The codes of a rewritten clause; each comes with its system and once without one (|code).
std::set<std::string> codes(const SearchClause& clause) {
  std::set<std::string> with_system, without;
  for (const SearchValue& v : clause.values) {
    CHECK(v.has_system);
    (v.system.empty() ? without : with_system).insert(v.code);
  }
  CHECK(with_system == without);
  CHECK(clause.values.size() == 2 * with_system.size());
  return with_system;
}

std::string error_of(std::string_view type, const Params& params) {
  Result<SearchQuery> query = parse_search(type, params, kBase, true);
  REQUIRE_FALSE(query.is_ok());
  CHECK(query.status().code() == Code::kInvalidArgument);
  return query.status().message();
}

}  // namespace

TEST_CASE(":in and :not-in become the value set's codes") {
  SearchClause in = only_clause(
      "Patient", {{"gender:in", "http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1"}});
  CHECK(in.modifier == Modifier::kNone);
  CHECK(codes(in) == std::set<std::string>{"female", "male", "other", "unknown"});
  CHECK(in.values[0].system == "http://hl7.org/fhir/administrative-gender");

  SearchClause not_in = only_clause(
      "Encounter", {{"participant-type:not-in",
                     "http://terminology.hl7.org/ValueSet/v3-ParticipationInformationGenerator"}});
  CHECK(not_in.modifier == Modifier::kNot);
  CHECK(codes(not_in) == std::set<std::string>{"AUT", "INF", "TRANS", "ENT", "WIT"});

  // Two value sets: their union, without repeats.
  SearchClause both = only_clause(
      "Encounter", {{"participant-type:in",
                     "http://terminology.hl7.org/ValueSet/v3-ParticipationInformationTranscriber,"
                     "http://terminology.hl7.org/ValueSet/v3-ParticipationInformationGenerator"}});
  CHECK(codes(both).size() == 5);
}

TEST_CASE(":below and :above follow the code system's hierarchy") {
  SearchClause below = only_clause(
      "Encounter", {{"participant-type:below", std::string(kParticipation) + "|TRANS"}});
  CHECK(below.modifier == Modifier::kNone);
  CHECK(codes(below) == std::set<std::string>{"TRANS", "ENT"});
  SearchClause above =
      only_clause("Encounter", {{"participant-type:above", std::string(kParticipation) + "|ENT"}});
  CHECK(codes(above) ==
        std::set<std::string>{"ENT", "TRANS", "_ParticipationInformationGenerator", "PART"});
  // A leaf's :below is itself.
  CHECK(codes(only_clause("Encounter",
                          {{"participant-type:below", std::string(kParticipation) + "|AUT"}})) ==
        std::set<std::string>{"AUT"});
}

TEST_CASE("terminology modifiers refuse what they cannot answer") {
  CHECK(error_of("Patient", {{"gender:in", "http://example.org/vs"}}).find("not held") !=
        std::string::npos);
  CHECK(error_of("Patient", {{"gender:in", "http://hl7.org/fhir/ValueSet/iso3166-1-3"}})
            .find("cannot be expanded") != std::string::npos);
  CHECK(error_of("Encounter", {{"participant-type:below", "TRANS"}}).find("[system]|[code]") !=
        std::string::npos);
  CHECK(error_of("Encounter", {{"participant-type:below", "http://snomed.info/sct|1"}})
            .find("not held") != std::string::npos);
  CHECK(error_of("Encounter", {{"participant-type:above", std::string(kParticipation) + "|NOPE"}})
            .find("is not in") != std::string::npos);
  // Past the bound: the v3 ActCode system has more codes than kMaxTerminologyCodes.
  CHECK(error_of("Encounter",
                 {{"participant-type:in", "http://terminology.hl7.org/ValueSet/v3-ActCode"}})
            .find(std::to_string(detail::kMaxTerminologyCodes)) != std::string::npos);
  // Not on other types, not :not-in in a chain.
  CHECK(error_of("Patient", {{"name:in", "http://hl7.org/fhir/ValueSet/administrative-gender"}})
            .find("not supported") != std::string::npos);
  CHECK(error_of("Observation", {{"subject:Patient.gender:not-in",
                                  "http://hl7.org/fhir/ValueSet/administrative-gender"}})
            .find("chain") != std::string::npos);
}

}  // namespace hearth::fhir::search
