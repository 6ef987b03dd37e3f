// Errors without leaks: 500/503 bodies carry a generic text and a reference (the real text
// travels in Response::error_detail for the server log), client input quoted back is always
// valid UTF-8 without control characters, a body XML cannot carry is 400 in JSON, and paging
// arithmetic saturates for any _offset/_count.
#include "api/rest/outcome.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "api/rest/bundle_links.h"
#include "core/utf8.h"
#include "rest_test_support.h"

namespace hearth::api {
namespace {

constexpr ResponseFormat kJson{.format = Format::kJson, .pretty = false};
constexpr ResponseFormat kXml{.format = Format::kXml, .pretty = false};
constexpr const char* kSql =
    "search Patient: SELECT r.res_id FROM resource r WHERE r.res_type = :rt AND (EXISTS (...)) "
    "parser stack overflow";

TEST_CASE("outcome_response: a 500 shows a reference, never the SQL; the detail is kept apart") {
  Response r = outcome_response(Status(Code::kInternal, kSql), kJson);
  CHECK(r.status == 500);
  CHECK(r.error_reference.size() == 16);
  CHECK(r.body.find("SELECT") == std::string::npos);
  CHECK(r.body.find("res_type") == std::string::npos);
  CHECK(r.body.find("\"diagnostics\":\"internal error; reference " + r.error_reference + "\"") !=
        std::string::npos);
  CHECK(r.body.find("\"code\":\"exception\"") != std::string::npos);
  CHECK(r.error_detail == kSql);

  Response again = outcome_response(Status(Code::kInternal, kSql), kJson);
  CHECK(again.error_reference != r.error_reference);

  Response xml =
      outcome_response(Status(Code::kUnavailable, "database is down: host=db password=x"), kXml);
  CHECK(xml.status == 503);
  CHECK(xml.body.find("<diagnostics value=\"service unavailable; reference " + xml.error_reference +
                      "\"/>") != std::string::npos);
  CHECK(xml.body.find("database") == std::string::npos);
  CHECK(xml.error_detail.find("database is down") != std::string::npos);
}

TEST_CASE("outcome_response: 4xx texts are shown and carry no reference") {
  Response r = outcome_response(Status(Code::kInvalidArgument, "bad _count"), kJson);
  CHECK(r.status == 400);
  CHECK(r.body.find("bad _count") != std::string::npos);
  CHECK(r.error_reference.empty());
  CHECK(r.error_detail.empty());
  CHECK_FALSE(hides_details(Code::kNotFound));
  CHECK(hides_details(Code::kInternal));
  CHECK(hides_details(Code::kUnavailable));
}

TEST_CASE("outcome JSON: invalid UTF-8 and control characters in quoted input become U+FFFD") {
  const std::string quoted = std::string("unknown parameter 'a\xff\xfe") + "\x01" + "b\xc3\xa9'";
  std::string json = operation_outcome_json(
      Status(Code::kInvalidArgument, quoted, std::string("Patient.x\xc0\xaf")), false);
  CHECK(is_valid_utf8(json));
  CHECK(json.find("a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                  "b\xc3\xa9") != std::string::npos);
  CHECK(json.find("Patient.x\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
  CHECK(fhir::parse_json(json).is_ok());

  Response xml = outcome_response(Status(Code::kInvalidArgument, quoted), kXml);
  CHECK(xml.status == 400);  // the OperationOutcome itself is always writable as XML
  CHECK(xml.content_type.find("xml") != std::string::npos);
  CHECK(is_valid_utf8(xml.body));
}

TEST_CASE("fhir_response: a body XML cannot carry (a control character) is 400 in JSON, not 500") {
  Response r = fhir_response(
      200, R"({"resourceType":"Patient","id":"a","name":[{"family":"A\u0001B"}]})", kXml);
  CHECK(r.status == 400);
  CHECK(r.content_type.find("json") != std::string::npos);
  CHECK(r.body.find("_format=json") != std::string::npos);
  CHECK(r.error_reference.empty());
}

TEST_CASE("writes: a control character in any primitive is refused, so every body has XML") {
  testing::RestFixture f;
  for (const char* body : {R"({"resourceType":"Patient","name":[{"family":"A\u0001B"}]})",
                           R"({"resourceType":"Patient","implicitRules":"http://a\u0002b"})",
                           R"({"resourceType":"Patient","gender":"male\u001f"})"}) {
    CAPTURE(body);
    Response r = f.call("POST", "Patient", body);
    CHECK(r.status / 100 == 4);
    CHECK(r.body.find("OperationOutcome") != std::string::npos);
  }
  Response ok = f.call("POST", "Patient", R"({"resourceType":"Patient","name":[{"text":"a\tb"}]})");
  CHECK(ok.status == 201);
}

TEST_CASE("paging arithmetic saturates: INT64_MAX offsets and counts") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  CHECK(next_page_offset(kMax, 1000) == kMax);
  CHECK(next_page_offset(kMax - 5, 10) == kMax);
  CHECK(next_page_offset(40, 10) == 50);
  CHECK(last_page_offset(kMax, kMax) == 0);
  CHECK(last_page_offset(kMax, 1) == kMax - 1);

  testing::RestFixture f;
  REQUIRE(f.call("POST", "Patient", R"({"resourceType":"Patient"})").status == 201);
  const std::string max = std::to_string(kMax);
  for (const char* path : {"Patient", "Patient/_history", "_history"}) {
    CAPTURE(path);
    Response r = f.call("GET", path, "", {{"_count", max}, {"_offset", max}});
    CHECK(r.status == 200);
    auto doc = testing::body_json(r);
    REQUIRE(doc.HasMember("link"));
    for (const auto& link : doc["link"].GetArray()) {
      std::string url = link["url"].GetString();
      CAPTURE(url);
      CHECK(url.find("_offset=-") == std::string::npos);
    }
    Response huge = f.call("GET", path, "", {{"_count", "99999999999999999999999"}});
    CHECK(huge.status / 100 != 5);
  }
}

}  // namespace
}  // namespace hearth::api
