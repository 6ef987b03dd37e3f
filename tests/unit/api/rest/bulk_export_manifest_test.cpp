// api/rest/bulk_export_manifest.h: the complete-status manifest's fields and shape.
#include "api/rest/bulk_export_manifest.h"

#include <doctest/doctest.h>

#include "fhir/json.h"

namespace hearth::api {
namespace {

TEST_CASE("export manifest: every field, output in order, error present and empty") {
  ExportManifest m{
      .transaction_time_micros = 1'767'323'045'123'456,
      .request = "http://h/fhir/$export?_type=Patient",
      .requires_access_token = true,
      .output = {{"Observation", "http://h/fhir/$export-file/j/Observation-1.ndjson", 1000},
                 {"Patient", "http://h/fhir/$export-file/j/Patient-1.ndjson", 7}},
      .error = {}};
  auto doc = fhir::parse_json(manifest_json(m));
  REQUIRE(doc.is_ok());
  CHECK(std::string((*doc)["transactionTime"].GetString()) == "2026-01-02T03:04:05.123456Z");
  CHECK(std::string((*doc)["request"].GetString()) == m.request);
  CHECK((*doc)["requiresAccessToken"].GetBool());
  REQUIRE((*doc)["output"].Size() == 2);
  CHECK(std::string((*doc)["output"][0]["type"].GetString()) == "Observation");
  CHECK(std::string((*doc)["output"][1]["url"].GetString()) == m.output[1].url);
  CHECK(fhir::json_number_text((*doc)["output"][0]["count"]) == "1000");
  CHECK((*doc)["error"].IsArray());
  CHECK((*doc)["error"].Size() == 0);

  m.requires_access_token = false;
  m.output.clear();
  auto empty = fhir::parse_json(manifest_json(m));
  REQUIRE(empty.is_ok());
  CHECK_FALSE((*empty)["requiresAccessToken"].GetBool());
  CHECK((*empty)["output"].Size() == 0);
}

}  // namespace
}  // namespace hearth::api
