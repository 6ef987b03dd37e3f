// coded_token_params (fhir/search/coded_token.h): the token parameters whose values are codings,
// found from the model's element types, against what R4 defines them over; and, on every
// official example, the rows such a parameter gives are codings' rows (a code with a system, or
// a CodeableConcept's text), never an identifier's, a ContactPoint's or an enumeration's.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search/coded_token.h"
#include "fhir/search/index_values.h"
#include "fhir/search/searchable.h"
#include "official_examples.h"

namespace hearth::fhir::search {
namespace {

TEST_CASE("coded token parameters: CodeableConcept and Coding values, nothing else") {
  // CodeableConcept elements, a choice narrowed by `as`, a union of CodeableConcepts, Codings.
  for (const char* code : {"code", "category", "value-concept", "combo-code", "method",
                           "component-code", "data-absent-reason", "_tag", "_security"}) {
    CHECK_MESSAGE(is_coded_token("Observation", code), code);
  }
  CHECK(is_coded_token("Condition", "code"));
  CHECK(is_coded_token("Patient", "language"));  // communication.language
  CHECK(is_coded_token("AllergyIntolerance", "code"));
  // Identifiers, enumerations (`code` elements), booleans, ContactPoints, ids, references.
  for (const char* code : {"identifier", "status", "_id", "subject", "date", "value-quantity"}) {
    CHECK_FALSE_MESSAGE(is_coded_token("Observation", code), code);
  }
  for (const char* code : {"gender", "identifier", "telecom", "phone", "email", "active",
                           "deceased", "birthdate", "name"}) {
    CHECK_FALSE_MESSAGE(is_coded_token("Patient", code), code);
  }
  CHECK_FALSE(is_coded_token("NoSuchType", "code"));
  CHECK(coded_token_params("NoSuchType").empty());
  // Sorted, token parameters the type searches; some in most resource types.
  std::size_t types_with = 0;
  for (std::string_view type : resource_types()) {
    const auto codes = coded_token_params(type);
    CHECK(std::is_sorted(codes.begin(), codes.end()));
    for (std::string_view code : codes) {
      const SearchParamDef* param = find_search_param(type, code);
      REQUIRE(param != nullptr);
      CHECK(param->type == SearchParamType::kToken);
    }
    types_with += codes.empty() ? 0 : 1;
  }
  CHECK(types_with > 100);  // every type has _tag and _security
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("coded token parameters: their rows in the official examples are codings' rows") {
  int resources = 0, coded_rows = 0, other_rows = 0;
  for (const std::filesystem::path& path : testing::official_example_files()) {
    const std::string name = path.filename().string();
    const std::string type = name.substr(0, name.find('-'));
    if (!is_resource_type(type)) continue;
    auto doc = parse_json(read_file(path));
    if (!doc.is_ok()) continue;
    auto values = extract_index(*doc);
    if (!values.is_ok()) continue;
    ++resources;
    for (const TokenIndex& t : values->tokens) {
      if (!is_coded_token(type, t.param)) {
        ++other_rows;
        continue;
      }
      ++coded_rows;
      // A coding's row has a code, or is a CodeableConcept's text (no system, no code); an
      // identifier with a type would give an :of-type row (index_values.h), which no coding does.
      INFO(path.filename().string() << " " << t.param << " " << t.system << "|" << t.code);
      CHECK((!t.code.empty() || t.system.empty()));
      CHECK(!t.system.starts_with(kOfTypeMark));
    }
  }
  MESSAGE(resources << " examples: " << coded_rows << " coded token rows, " << other_rows
                    << " others");
  CHECK(resources >= testing::at_least(2000));
  CHECK(coded_rows > 0);
  CHECK(other_rows > 0);
}

}  // namespace
}  // namespace hearth::fhir::search
