// Token :in, :not-in, :below and :above inside conditional requests' criteria use the ValueSets
// and CodeSystems stored in Hearth, as a search does (api/rest/conditional.h): If-None-Exist,
// conditional update, delete and patch, and a transaction's conditional update and conditional
// reference.
#include <doctest/doctest.h>

#include <string>

#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {

// colour > warm > (red > scarlet, orange); colour > cold > blue.
const std::string kColours = R"({"resourceType":"CodeSystem","id":"colours",
  "url":"http://example.org/CodeSystem/colours","status":"active","content":"complete",
  "concept":[{"code":"colour","concept":[
    {"code":"warm","concept":[{"code":"red","concept":[{"code":"scarlet"}]},{"code":"orange"}]},
    {"code":"cold","concept":[{"code":"blue"}]}]}]})";
// warm but orange.
const std::string kWarm = R"({"resourceType":"ValueSet","id":"warm",
  "url":"http://example.org/ValueSet/warm","status":"active","compose":{
  "include":[{"system":"http://example.org/CodeSystem/colours",
              "filter":[{"property":"concept","op":"is-a","value":"warm"}]}],
  "exclude":[{"system":"http://example.org/CodeSystem/colours","concept":[{"code":"orange"}]}]}})";
const std::string kIn = "code:in=http://example.org/ValueSet/warm";
const std::string kCs = "http://example.org/CodeSystem/colours";

std::string observation(std::string_view code, std::string_view extra = {}) {
  return R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":
    "http://example.org/CodeSystem/colours","code":")" +
         std::string(code) + R"("}]})" + std::string(extra) + "}";
}

Response create_if_none_exist(RestFixture& f, std::string body, std::string criteria) {
  Request request;
  request.method = "POST";
  request.path = "Observation";
  request.body = std::move(body);
  request.content_type = "application/fhir+json";
  request.if_none_exist = std::move(criteria);
  return f.call(std::move(request));
}

}  // namespace

TEST_CASE("If-None-Exist, conditional update, patch and delete with :in/:below on stored ones") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/colours", kColours).status == 201);
  REQUIRE(f.call("PUT", "ValueSet/warm", kWarm).status == 201);

  // Nothing in the stored value set yet: created; then the scarlet one finds the red one.
  Response first = create_if_none_exist(f, observation("red"), kIn);
  REQUIRE_MESSAGE(first.status == 201, first.body);
  Response again = create_if_none_exist(f, observation("scarlet"), kIn);
  CHECK(again.status == 200);
  CHECK(body_json(again)["id"].GetString() == std::string(body_json(first)["id"].GetString()));
  CHECK(search_total(f, "Observation", "code", kCs + "|scarlet") == 0);
  // orange is excluded from the value set: not a match, so created.
  CHECK(create_if_none_exist(f, observation("orange"),
                             "code:in=http://example.org/ValueSet/warm&code=orange")
            .status == 201);
  CHECK(create_if_none_exist(f, observation("red"), "code:in=http://example.org/ValueSet/none")
            .status == 400);

  // Conditional update through the stored code system's hierarchy: one match (red) updated.
  Response updated = f.call("PUT", "Observation", observation("red", R"(,"valueString":"u")"),
                            {{"code:below", kCs + "|red"}});
  REQUIRE_MESSAGE(updated.status == 200, updated.body);
  CHECK(std::string(body_json(updated)["id"].GetString()) == body_json(first)["id"].GetString());

  // Conditional patch, by :above from scarlet (scarlet, red, warm, colour: the red one).
  Request patch;
  patch.method = "PATCH";
  patch.path = "Observation";
  patch.query = {{"code:above", kCs + "|scarlet"}};
  patch.content_type = "application/json-patch+json";
  patch.body = R"([{"op":"replace","path":"/valueString","value":"p"}])";
  Response patched = f.call(std::move(patch));
  CHECK_MESSAGE(patched.status == 200, patched.body);
  CHECK(search_total(f, "Observation", "value-string", "p") == 1);

  // Conditional delete of what is not in the value set (orange).
  REQUIRE(f.call("DELETE", "Observation", "", {{"code:not-in", "http://example.org/ValueSet/warm"}})
                  .status /
              100 ==
          2);
  CHECK(search_total(f, "Observation", "code", kCs + "|orange") == 0);
  CHECK(search_total(f, "Observation", "code", kCs + "|red") == 1);
}

TEST_CASE("a transaction's conditional update and reference with :in on a stored value set") {
  RestFixture f;
  REQUIRE(f.call("PUT", "CodeSystem/colours", kColours).status == 201);
  REQUIRE(f.call("PUT", "ValueSet/warm", kWarm).status == 201);
  Response red = f.call("POST", "Observation", observation("red"));
  REQUIRE(red.status == 201);
  REQUIRE(f.call("POST", "Observation", observation("blue")).status == 201);
  const std::string red_id = body_json(red)["id"].GetString();

  const std::string bundle = R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"resource":)" + observation("red", R"(,"valueString":"tx")") +
                             R"(,"request":{"method":"PUT",
      "url":"Observation?code:in=http://example.org/ValueSet/warm"}},
    {"resource":{"resourceType":"DiagnosticReport","status":"final","code":{"text":"r"},
      "result":[{"reference":"Observation?code:below=http://example.org/CodeSystem/colours|warm"}]},
     "request":{"method":"POST","url":"DiagnosticReport"}}]})";
  Response r = f.call("POST", "", bundle);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  Response read = f.call("GET", "Observation/" + red_id);
  CHECK(read.body.find(R"("valueString":"tx")") != std::string::npos);
  CHECK(search_total(f, "DiagnosticReport", "result", "Observation/" + red_id) == 1);
  CHECK(search_total(f, "Observation", "value-string", "tx") == 1);  // updated, not created

  // A value set that is not stored is 400 naming the parameter, the transaction undone.
  const std::string unknown = R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"resource":)" + observation("red", R"(,"valueString":"no")") +
                              R"(,"request":{"method":"PUT",
      "url":"Observation?code:in=http://example.org/ValueSet/none"}}]})";
  r = f.call("POST", "", unknown);
  CHECK(r.status == 400);
  CHECK(r.body.find("code") != std::string::npos);
  CHECK(search_total(f, "Observation", "value-string", "no") == 0);
}
