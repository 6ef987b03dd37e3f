// Compartment filters (fhir/search/compartment.h) read from the official CompartmentDefinitions.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "fhir/search/compartment.h"

namespace hearth::fhir::search {
namespace {

std::set<std::string> codes(const CompartmentFilter& f) {
  std::set<std::string> out;
  for (const SearchParamDef* p : f.params) out.emplace(p->code);
  return out;
}

TEST_CASE("compartment filters follow the official definitions") {
  auto obs = compartment_filter("Patient", "p1", "Observation");
  REQUIRE(obs.is_ok());
  CHECK(obs->type == "Patient");
  CHECK(obs->id == "p1");
  CHECK(codes(*obs) == std::set<std::string>{"subject", "performer"});
  CHECK_FALSE(obs->self);
  auto enc = compartment_filter("Encounter", "e1", "Encounter");
  REQUIRE(enc.is_ok());
  CHECK(enc->self);  // "{def}": the encounter itself
  auto in_encounter = compartment_filter("Encounter", "e1", "Observation");
  REQUIRE(in_encounter.is_ok());
  CHECK(codes(*in_encounter) == std::set<std::string>{"encounter"});

  auto outside = compartment_filter("Patient", "p1", "Organization");
  REQUIRE_FALSE(outside.is_ok());
  CHECK(outside.status().code() == Code::kInvalidArgument);
  CHECK(outside.status().message() == "Organization is not in the Patient compartment");
  auto not_one = compartment_filter("Observation", "o1", "Patient");
  REQUIRE_FALSE(not_one.is_ok());
  CHECK(not_one.status().code() == Code::kNotFound);
  for (const char* c : {"Device", "Encounter", "Patient", "Practitioner", "RelatedPerson"}) {
    CHECK(is_compartment(c));
  }
  CHECK_FALSE(is_compartment("Observation"));
}

}  // namespace
}  // namespace hearth::fhir::search
