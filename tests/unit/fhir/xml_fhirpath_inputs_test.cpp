// The XML inputs of the official FHIRPath test suite parse; where the examples package holds the
// same resource as JSON (<Type>-<id>.json), the parse must equal it, except where the suite's copy
// differs in content from the package's (the expected first difference is checked, so a change on
// either side shows up here).
#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "tests/test_paths.h"
#include "xml_test_support.h"

namespace hearth::fhir {

TEST_CASE("xml reader: the FHIRPath suite's XML inputs, compared with their JSON twins") {
  const std::filesystem::path dir =
      std::filesystem::path(hearth::test::source_dir()) / "tests/data/fhir-test-cases/r4/fhirpath";
  struct Input {
    const char* name;
    const char* difference;  // "" when the parse must equal the package's JSON
  };
  const Input inputs[] = {
      {"patient-example.xml", ""},
      {"observation-example.xml", "$.extension (only in the second)"},  // package has more
      {"questionnaire-example.xml", ""},
      {"valueset-example-expansion.xml", "$.extension (only in the first)"},  // suite has more
      {"parameters-example-types.xml", ""},                                   // no twin
      {"patient-example-period.xml", "$.identifier[0].period.end (only in the second)"},
  };
  int parsed = 0, equal = 0, twins = 0;
  for (const Input& input : inputs) {
    const char* name = input.name;
    std::filesystem::path path = dir / name;
    REQUIRE_MESSAGE(std::filesystem::exists(path), path.string());
    Result<JsonDocument> doc = parse_xml_resource(testing::read_text_file(path));
    REQUIRE_MESSAGE(doc.is_ok(), name << ": " << doc.status().message() << " @ "
                                      << doc.status().issues()[0].expression);
    ++parsed;
    std::string twin_name = std::string(json_string((*doc)["resourceType"])) + "-" +
                            (doc->HasMember("id") ? std::string(json_string((*doc)["id"])) : "") +
                            ".json";
    std::filesystem::path twin =
        std::filesystem::path(hearth::test::fhir_package_dir()) / twin_name;
    if (!std::filesystem::exists(twin)) {
      std::cout << "xml fhirpath input " << name << ": parsed (no JSON twin " << twin_name << ")\n";
      continue;
    }
    ++twins;
    Result<JsonDocument> json = parse_json(testing::read_text_file(twin));
    REQUIRE(json.is_ok());
    std::string difference = testing::json_difference(*json, *doc);
    if (difference.empty()) ++equal;
    CHECK_MESSAGE(difference == input.difference, name);
    std::cout << "xml fhirpath input " << name << " vs " << twin_name << ": "
              << (difference.empty() ? "equal" : "differs at " + difference) << "\n";
  }
  std::cout << "xml fhirpath inputs: " << parsed << " parsed, " << equal << "/" << twins
            << " equal to their JSON twin\n";
  CHECK(parsed == 6);
}

}  // namespace hearth::fhir
