// api/rest/bulk_export_params.h: the $export kick-off's parameters at the three levels, and every
// refusal with the parameter it names.
#include "api/rest/bulk_export_params.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "fhir/model.h"

namespace hearth::api {
namespace {

Request kickoff(std::vector<std::pair<std::string, std::string>> query,
                std::string prefer = "respond-async") {
  Request r;
  r.method = "GET";
  r.path = "$export";
  r.query = std::move(query);
  r.prefer = std::move(prefer);
  return r;
}

Route level(std::string type, std::string id = {}) {
  Route route;
  route.interaction = Interaction::kExport;
  route.type = std::move(type);
  route.id = std::move(id);
  return route;
}

std::string expression(const Status& status) {
  return status.issues().empty() ? "" : status.issues()[0].expression;
}

TEST_CASE("export params: levels and defaults") {
  auto system = parse_export_params(level(""), kickoff({}));
  REQUIRE(system.is_ok());
  CHECK(system->level == ExportLevel::kSystem);
  CHECK(system->types.size() == fhir::resource_types().size());
  CHECK_FALSE(system->since_micros);

  auto patient = parse_export_params(level("Patient"), kickoff({}));
  REQUIRE(patient.is_ok());
  CHECK(patient->level == ExportLevel::kPatient);
  CHECK(std::find(patient->types.begin(), patient->types.end(), "Observation") !=
        patient->types.end());
  CHECK(std::find(patient->types.begin(), patient->types.end(), "Patient") != patient->types.end());
  CHECK(std::find(patient->types.begin(), patient->types.end(), "Medication") ==
        patient->types.end());
  CHECK(patient->types.size() < system->types.size());

  auto group = parse_export_params(level("Group", "g1"), kickoff({}));
  REQUIRE(group.is_ok());
  CHECK(group->level == ExportLevel::kGroup);
  CHECK(group->group_id == "g1");
  CHECK(group->types == patient->types);
}

TEST_CASE("export params: _type, _since, _outputFormat") {
  auto p = parse_export_params(level(""), kickoff({{"_type", "Observation,Patient, Observation"},
                                                   {"_since", "2026-01-02T03:04:05Z"},
                                                   {"_outputFormat", "application/fhir+ndjson"}}));
  REQUIRE(p.is_ok());
  CHECK(p->types == std::vector<std::string>{"Observation", "Patient"});
  REQUIRE(p->since_micros);
  CHECK(*p->since_micros == 1'767'323'045'000'000);
  // Repeated _type adds up; the other output formats the specification names.
  auto q = parse_export_params(
      level(""),
      kickoff({{"_type", "Patient"}, {"_type", "Encounter"}, {"_outputFormat", "ndjson"}}));
  REQUIRE(q.is_ok());
  CHECK(q->types == std::vector<std::string>{"Encounter", "Patient"});
  for (const char* format : {"application/ndjson", "application/fhir ndjson"}) {
    CHECK(parse_export_params(level(""), kickoff({{"_outputFormat", format}})).is_ok());
  }
}

TEST_CASE("export params: refusals name what is wrong") {
  auto no_async = parse_export_params(level(""), kickoff({}, ""));
  CHECK(no_async.status().code() == Code::kInvalidArgument);
  CHECK(no_async.status().message().find("respond-async") != std::string::npos);

  auto bad_type = parse_export_params(level(""), kickoff({{"_type", "Patient,Nope"}}));
  CHECK(bad_type.status().code() == Code::kInvalidArgument);
  CHECK(expression(bad_type.status()) == "_type");
  CHECK(bad_type.status().message().find("Nope") != std::string::npos);

  auto outside = parse_export_params(level("Patient"), kickoff({{"_type", "Medication"}}));
  CHECK(outside.status().code() == Code::kInvalidArgument);
  CHECK(outside.status().message().find("compartment") != std::string::npos);
  CHECK(parse_export_params(level(""), kickoff({{"_type", "Medication"}})).is_ok());

  auto since = parse_export_params(level(""), kickoff({{"_since", "last week"}}));
  CHECK(expression(since.status()) == "_since");

  auto format = parse_export_params(level(""), kickoff({{"_outputFormat", "text/csv"}}));
  CHECK(format.status().code() == Code::kInvalidArgument);
  CHECK(expression(format.status()) == "_outputFormat");

  auto filter = parse_export_params(level(""), kickoff({{"_typeFilter", "Patient?active=true"}}));
  CHECK(filter.status().code() == Code::kInvalidArgument);
  CHECK(expression(filter.status()) == "_typeFilter");
  auto lenient = parse_export_params(level(""), kickoff({{"_typeFilter", "Patient?active=true"}},
                                                        "respond-async, handling=lenient"));
  CHECK(lenient.is_ok());

  std::string many = "Patient";
  for (int i = 0; i < 200; ++i) many += ",Patient";
  auto too_many = parse_export_params(level(""), kickoff({{"_type", many}}));
  CHECK(too_many.status().code() == Code::kInvalidArgument);
  CHECK(too_many.status().message().find("200") != std::string::npos);
}

}  // namespace
}  // namespace hearth::api
