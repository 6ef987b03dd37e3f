// The IG's target paths parsed: each form on its own, then every target of the vendored maps,
// with the count of those that are not paths printed (and bounded).
#include "hl7/to_fhir/target_path.h"

#include <doctest/doctest.h>

#include <cstdio>

#include "hl7/to_fhir/map_tables.h"

namespace hearth::hl7::to_fhir {
namespace {

TargetPath parsed(std::string_view text) {
  Result<TargetPath> path = parse_target_path(text);
  REQUIRE_MESSAGE(path.is_ok(), std::string(text));
  return *path;
}

}  // namespace

TEST_CASE("v2 map target paths: elements, instances, ranges, $value") {
  TargetPath p = parsed("birthDate.extension[1].valueDateTime");
  REQUIRE(p.steps.size() == 3);
  CHECK(p.steps[0].name == "birthDate");
  CHECK(p.steps[0].instance == 0);
  CHECK(p.steps[1].name == "extension");
  CHECK(p.steps[1].instance == 1);
  CHECK(p.steps[1].instance_to == 1);
  CHECK(p.steps[2].name == "valueDateTime");

  p = parsed("[2].given");
  REQUIRE(p.steps.size() == 2);
  CHECK(p.steps[0].name.empty());
  CHECK(p.steps[0].instance == 2);
  CHECK(p.steps[1].name == "given");

  p = parsed("line[1-3]");
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].instance == 1);
  CHECK(p.steps[0].instance_to == 3);

  p = parsed("$value");
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].name == "$value");
}

TEST_CASE("v2 map target paths: references to other resources") {
  TargetPath p = parsed("asserter(Practitioner)");
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].name == "asserter");
  CHECK(p.steps[0].reference_type == "Practitioner");

  p = parsed("performer[2](PractitionerRole[1].organization(Organization.address))");
  REQUIRE(p.steps.size() == 3);
  CHECK(p.steps[0].name == "performer");
  CHECK(p.steps[0].instance == 2);
  CHECK(p.steps[0].reference_type == "PractitionerRole");
  CHECK(p.steps[0].reference_instance == 1);
  CHECK(p.steps[1].name == "organization");
  CHECK(p.steps[1].reference_type == "Organization");
  CHECK(p.steps[2].name == "address");

  // The IG's missing ")" at the end is forgiven.
  p = parsed("diagnosis.condition(Condition.asserter(Practitioner)");
  REQUIRE(p.steps.size() == 3);
  CHECK(p.steps[1].reference_type == "Condition");
  CHECK(p.steps[2].reference_type == "Practitioner");
}

TEST_CASE("v2 map target paths: [each], constants, alternatives, forgiven typos") {
  TargetPath p = parsed("component[each].valueQuantity");
  REQUIRE(p.steps.size() == 2);
  CHECK(p.steps[0].instance == kEachInstance);

  p = parsed("participant[5].type.coding.code=\"PART\"");
  REQUIRE(p.steps.size() == 4);
  CHECK(p.steps[0].instance == 5);
  CHECK(p.constant == "PART");

  p = parsed("agent[1].who(Organization|Device)");
  REQUIRE(p.steps.size() == 2);
  CHECK(p.steps[1].reference_type == "Organization");

  p = parsed("generalPractitioner(PractitionerRole.organization.(Organization))");
  REQUIRE(p.steps.size() == 2);
  CHECK(p.steps[1].name == "organization");
  CHECK(p.steps[1].reference_type == "Organization");
}

TEST_CASE("v2 map target paths: not paths") {
  CHECK_FALSE(parse_target_path("status=finished").is_ok());
  CHECK_FALSE(parse_target_path("coding[3.version").is_ok());
  CHECK_FALSE(parse_target_path("extension?\?-assigningFacility").is_ok());
  CHECK_FALSE(parse_target_path("").is_ok());
  CHECK_FALSE(parse_target_path("line[3-1]").is_ok());
  CHECK_FALSE(parse_target_path("a(b.c)").is_ok());  // a resource type is capitalised
  CHECK_FALSE(parse_target_path("name[1").is_ok());
}

TEST_CASE("v2 map target paths: every target of the IG's maps (counts)") {
  std::size_t total = 0;
  std::size_t ok = 0;
  auto run = [&](std::span<const MapTable> maps) {
    for (const MapTable& map : maps) {
      for (const MapRow& row : map.rows) {
        ++total;
        Result<TargetPath> path = parse_target_path(row.target);
        if (path.is_ok()) {
          ++ok;
        } else {
          std::printf("  not a path: %.*s %.*s: %s\n", static_cast<int>(map.name.size()),
                      map.name.data(), static_cast<int>(row.source.size()), row.source.data(),
                      path.status().message().c_str());
        }
      }
    }
  };
  run(segment_maps());
  run(data_type_maps());
  std::printf("v2-to-fhir target paths: %zu of %zu parsed\n", ok, total);
  CHECK(total > 1000);
  CHECK(ok * 100 >= total * 99);
}

}  // namespace hearth::hl7::to_fhir
