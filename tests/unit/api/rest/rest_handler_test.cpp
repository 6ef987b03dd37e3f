// REST semantics of http.html, in-process: status codes, headers, bodies, OperationOutcomes.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "rest_test_support.h"

using namespace hearth;
using namespace hearth::api;
using namespace hearth::api::testing;

namespace {
const std::string kPatient =
    R"({"resourceType":"Patient","active":true,"name":[{"family":"Chalmers","given":["Peter","James"]}],"birthDate":"1974-12-25","extension":[{"url":"http://example.org/x","valueDecimal":1.50}]})";

int as_int(const fhir::JsonValue& number) {
  REQUIRE(fhir::is_json_number(number));
  return std::stoi(std::string(fhir::json_number_text(number)));
}
std::string issue_code(const Response& r) {
  auto doc = body_json(r);
  REQUIRE(doc["resourceType"] == "OperationOutcome");
  return doc["issue"][0]["code"].GetString();
}
std::string issue_expression(const Response& r) {
  auto doc = body_json(r);
  if (!doc["issue"][0].HasMember("expression")) return {};
  return doc["issue"][0]["expression"][0].GetString();
}
}  // namespace

TEST_CASE("create assigns an id, version 1 and returns Location, ETag, Last-Modified") {
  RestFixture f;
  Response r = f.call("POST", "Patient", kPatient);
  CHECK(r.status == 201);
  CHECK(header(r, "Location") == "http://test/fhir/Patient/id1/_history/1");
  CHECK(header(r, "ETag") == "W/\"1\"");
  CHECK(header(r, "Last-Modified") == "Mon, 23 Nov 2026 18:02:00 GMT");
  auto doc = body_json(r);
  CHECK(std::string(doc["id"].GetString()) == "id1");
  CHECK(std::string(doc["meta"]["versionId"].GetString()) == "1");
  CHECK(std::string(doc["meta"]["lastUpdated"].GetString()) == "2026-11-23T18:02:00.000000Z");
  CHECK(r.body.find("\"valueDecimal\":1.50") != std::string::npos);  // precision kept
}

TEST_CASE("create ignores a client id; read returns what create returned") {
  RestFixture f;
  std::string with_id = kPatient;
  with_id.insert(1, R"("id":"mine",)");
  Response created = f.call("POST", "Patient", with_id);
  REQUIRE(created.status == 201);
  Response read = f.call("GET", "Patient/id1");
  CHECK(read.status == 200);
  CHECK(read.body == created.body);
  CHECK(read.content_type == "application/fhir+json; charset=utf-8");
  CHECK(f.call("GET", "Patient/mine").status == 404);
}

TEST_CASE("update makes version 2; vread reads both; update-as-create gives 201") {
  RestFixture f;
  REQUIRE(f.call("POST", "Patient", kPatient).status == 201);
  std::string v2 = R"({"resourceType":"Patient","id":"id1","active":false})";
  Response r = f.call("PUT", "Patient/id1", v2);
  CHECK(r.status == 200);
  CHECK(header(r, "ETag") == "W/\"2\"");
  CHECK(body_json(f.call("GET", "Patient/id1/_history/1"))["active"].GetBool() == true);
  CHECK(body_json(f.call("GET", "Patient/id1/_history/2"))["active"].GetBool() == false);
  CHECK(f.call("GET", "Patient/id1/_history/3").status == 404);

  Response created =
      f.call("PUT", "Patient/client-chosen", R"({"resourceType":"Patient","id":"client-chosen"})");
  CHECK(created.status == 201);
  CHECK(header(created, "Location") == "http://test/fhir/Patient/client-chosen/_history/1");
}

TEST_CASE("If-Match: matching version updates, stale version gets 412 and changes nothing") {
  RestFixture f;
  REQUIRE(f.call("POST", "Patient", kPatient).status == 201);
  Request update;
  update.method = "PUT";
  update.path = "Patient/id1";
  update.body = R"({"resourceType":"Patient","id":"id1","active":false})";
  update.if_match = "W/\"1\"";
  CHECK(f.call(update).status == 200);
  Response stale = f.call(update);
  CHECK(stale.status == 412);
  CHECK(issue_code(stale) == "conflict");
  CHECK(header(f.call("GET", "Patient/id1"), "ETag") == "W/\"2\"");
  update.if_match = "banana";
  CHECK(f.call(update).status == 400);
}

TEST_CASE("delete: later read is 410 Gone, history keeps the deletion, re-create works") {
  RestFixture f;
  REQUIRE(f.call("POST", "Patient", kPatient).status == 201);
  Response del = f.call("DELETE", "Patient/id1");
  CHECK(del.status == 200);
  CHECK(header(del, "ETag") == "W/\"2\"");
  Response gone = f.call("GET", "Patient/id1");
  CHECK(gone.status == 410);
  CHECK(issue_code(gone) == "deleted");
  CHECK(f.call("GET", "Patient/id1/_history/2").status == 410);
  CHECK(f.call("GET", "Patient/id1/_history/1").status == 200);
  auto history = body_json(f.call("GET", "Patient/id1/_history"));
  CHECK(as_int(history["total"]) == 2);
  CHECK(std::string(history["entry"][0]["request"]["method"].GetString()) == "DELETE");
  CHECK_FALSE(history["entry"][0].HasMember("resource"));
  CHECK(f.call("DELETE", "Patient/id1").status == 200);  // idempotent
  CHECK(f.call("PUT", "Patient/id1", R"({"resourceType":"Patient","id":"id1"})").status == 201);
}

TEST_CASE("history: newest first, _count paging with working next/previous links, _since") {
  RestFixture f;
  for (int i = 0; i < 5; ++i) {
    f.clock.micros += 1'000'000;
    REQUIRE(f.call("POST", "Patient", kPatient).status == 201);
  }
  auto page1 = body_json(f.call("GET", "Patient/_history", {}, {{"_count", "2"}}));
  CHECK(std::string(page1["type"].GetString()) == "history");
  CHECK(as_int(page1["total"]) == 5);
  REQUIRE(page1["entry"].Size() == 2);
  CHECK(std::string(page1["entry"][0]["resource"]["id"].GetString()) == "id5");
  std::string next;
  for (auto& link : page1["link"].GetArray()) {
    if (std::string(link["relation"].GetString()) == "next") next = link["url"].GetString();
  }
  REQUIRE(!next.empty());
  // Follow the link as a client would: split its query.
  std::string query = next.substr(next.find('?') + 1);
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    std::string item = query.substr(0, query.find('&'));
    params.emplace_back(item.substr(0, item.find('=')), item.substr(item.find('=') + 1));
    query = query.find('&') == std::string::npos ? "" : query.substr(query.find('&') + 1);
  }
  f.call("POST", "Patient", kPatient);  // a write between pages does not shift them
  auto page2 = body_json(f.call("GET", "Patient/_history", {}, params));
  REQUIRE(page2["entry"].Size() == 2);
  CHECK(std::string(page2["entry"][0]["resource"]["id"].GetString()) == "id3");
  bool has_previous = false;
  for (auto& link : page2["link"].GetArray()) {
    has_previous |= std::string(link["relation"].GetString()) == "previous";
  }
  CHECK(has_previous);

  auto since = body_json(f.call("GET", "_history", {}, {{"_since", "2026-11-23T18:02:04Z"}}));
  CHECK(as_int(since["total"]) == 3);  // id4, id5 and the one between pages
  CHECK(f.call("GET", "_history", {}, {{"_since", "yesterday"}}).status == 400);
  CHECK(f.call("GET", "_history", {}, {{"_count", "-1"}}).status == 400);
}

TEST_CASE("errors are OperationOutcomes with the right status and location") {
  RestFixture f;
  CHECK(f.call("GET", "Banana/1").status == 404);
  CHECK(f.call("GET", "Patient/bad$id").status == 400);
  CHECK(f.call("GET", "Patient/nope").status == 404);
  CHECK(f.call("PUT", "Patient/1/_history").status == 405);
  CHECK(f.call("POST", "Patient/1", kPatient).status == 405);

  Response malformed = f.call("POST", "Patient", "{not json");
  CHECK(malformed.status == 400);
  CHECK(issue_code(malformed) == "structure");

  CHECK(f.call("POST", "Patient", R"({"resourceType":"Observation"})").status == 400);
  CHECK(f.call("POST", "Patient", R"([1,2])").status == 400);
  CHECK(f.call("PUT", "Patient/a", R"({"resourceType":"Patient","id":"b"})").status == 400);
  CHECK(f.call("PUT", "Patient/a", R"({"resourceType":"Patient"})").status == 400);

  Response invalid =
      f.call("POST", "Patient", R"({"resourceType":"Patient","birthDate":"1974-13-45"})");
  CHECK(invalid.status == 422);
  CHECK(issue_expression(invalid) == "Patient.birthDate");
  Response unknown =
      f.call("POST", "Patient", R"({"resourceType":"Patient","favouriteColour":"red"})");
  CHECK(unknown.status == 422);
  CHECK(issue_expression(unknown) == "Patient.favouriteColour");
  CHECK(f.call("GET", "_history").status == 200);  // nothing invalid was stored
  CHECK(as_int(body_json(f.call("GET", "_history"))["total"]) == 0);
}

TEST_CASE("content negotiation: _format, Accept, Content-Type") {
  RestFixture f;
  CHECK(f.call("GET", "metadata", {}, {{"_format", "json"}}).status == 200);
  CHECK(f.call("GET", "metadata", {}, {{"_format", "application/fhir+json"}}).status == 200);
  CHECK(f.call("GET", "metadata", {}, {{"_format", "text/html"}}).status == 406);
  Response xml = f.call("GET", "metadata", {}, {{"_format", "xml"}});
  CHECK(xml.status == 200);
  CHECK(xml.content_type == "application/fhir+xml; charset=utf-8");
  CHECK(xml.body.find("<CapabilityStatement xmlns=\"http://hl7.org/fhir\"") != std::string::npos);
  Request accept;
  accept.method = "GET";
  accept.path = "metadata";
  auto content_type_for = [&](std::string value) {
    accept.accept = std::move(value);
    Response r = f.call(accept);
    return r.status == 200 ? r.content_type.substr(0, r.content_type.find(';'))
                           : std::to_string(r.status);
  };
  CHECK(content_type_for("application/fhir+xml") == "application/fhir+xml");
  // A browser: application/xml (q=0.9) beats */* (q=0.8).
  CHECK(content_type_for("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") ==
        "application/fhir+xml");
  CHECK(content_type_for("application/json;q=0.5, application/fhir+xml") == "application/fhir+xml");
  CHECK(content_type_for("application/fhir+json, application/fhir+xml") ==
        "application/fhir+json");  // a tie: the first listed
  CHECK(content_type_for("*/*") == "application/fhir+json");
  CHECK(content_type_for("application/json;q=0") == "406");
  CHECK(content_type_for("text/plain") == "406");
  Request post;
  post.method = "POST";
  post.path = "Patient";
  post.body = kPatient;
  post.content_type = "text/plain";
  CHECK(f.call(post).status == 415);
  post.content_type = "application/json; charset=utf-8";
  CHECK(f.call(post).status == 201);
  Response pretty = f.call("GET", "metadata", {}, {{"_pretty", "true"}});
  CHECK(pretty.body.find("\n  \"resourceType\"") != std::string::npos);
}

TEST_CASE("Prefer: return=minimal and return=OperationOutcome") {
  RestFixture f;
  Request post;
  post.method = "POST";
  post.path = "Patient";
  post.body = kPatient;
  post.prefer = "return=minimal";
  Response minimal = f.call(post);
  CHECK(minimal.status == 201);
  CHECK(minimal.body.empty());
  CHECK(!header(minimal, "Location").empty());
  post.prefer = "return=OperationOutcome";
  Response outcome = f.call(post);
  CHECK(outcome.status == 201);
  CHECK(body_json(outcome)["resourceType"] == "OperationOutcome");
}

TEST_CASE("metadata claims every resource type with exactly the served interactions") {
  RestFixture f;
  Response r = f.call("GET", "metadata");
  REQUIRE(r.status == 200);
  auto doc = body_json(r);
  CHECK(std::string(doc["fhirVersion"].GetString()) == "4.0.1");
  auto& resources = doc["rest"][0]["resource"];
  CHECK(resources.Size() == 146);
  int params = 0;
  int observation_composites = 0;  // code-value-quantity ... combo-code-value-concept: 8
  for (auto& res : resources.GetArray()) {
    CHECK(res["interaction"].Size() == 9);
    CHECK(std::string(res["interaction"][7]["code"].GetString()) == "search-type");
    CHECK(std::string(res["interaction"][8]["code"].GetString()) == "patch");
    REQUIRE(res.HasMember("searchParam"));
    std::set<std::string> names;
    for (auto& p : res["searchParam"].GetArray()) {
      std::string type = p["type"].GetString();
      // Only what the index answers: never special (composites are indexed).
      CHECK(type != "special");
      if (std::string(res["type"].GetString()) == "Observation" && type == "composite") {
        ++observation_composites;
      }
      names.insert(p["name"].GetString());
      ++params;
    }
    CHECK(names.contains("_id"));
    CHECK(names.contains("_lastUpdated"));
    CHECK(names.size() == res["searchParam"].Size());  // each name once
  }
  MESSAGE("search parameters claimed over 146 types: " << params);
  CHECK(observation_composites == 8);
  auto patient = std::find_if(resources.Begin(), resources.End(), [](auto& res) {
    return std::string(res["type"].GetString()) == "Patient";
  });
  REQUIRE(patient != resources.End());
  std::set<std::string> names;
  for (auto& p : (*patient)["searchParam"].GetArray()) names.insert(p["name"].GetString());
  for (const char* want : {"family", "given", "name", "birthdate", "gender", "identifier",
                           "general-practitioner", "_tag", "_profile"}) {
    CHECK_MESSAGE(names.contains(want), want);
  }
  CHECK(names.contains("_text"));  // the full-text table serves both
  CHECK(names.contains("_content"));
  CHECK_FALSE(names.contains("near"));  // special: not indexed, not claimed
  CHECK(f.call("GET", "Patient").status == 200);
}

TEST_CASE("the server owns meta.versionId and meta.lastUpdated; other meta is the client's") {
  RestFixture f;
  Response r =
      f.call("PUT", "Patient/m1",
             R"({"meta":{"lastUpdated":"2001-01-01T00:00:00Z","versionId":"77",)"
             R"("tag":[{"code":"vip"}]},"resourceType":"Patient","id":"m1","active":true})");
  REQUIRE(r.status == 201);
  CHECK(r.body ==
        R"({"resourceType":"Patient","id":"m1","meta":{"versionId":"1",)"
        R"("lastUpdated":"2026-11-23T18:02:00.000000Z","tag":[{"code":"vip"}]},"active":true})");
  f.clock.micros += 1;
  Response v2 = f.call("PUT", "Patient/m1", R"({"resourceType":"Patient","id":"m1"})");
  CHECK(v2.body == R"({"resourceType":"Patient","id":"m1","meta":{"versionId":"2",)"
                   R"("lastUpdated":"2026-11-23T18:02:00.000001Z"}})");
}

namespace {
Request make_request(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}
}  // namespace

TEST_CASE("store_use: the route row's column; metadata and routing errors need no store") {
  RestFixture f;
  const RestHandler& rest = *f.handler;
  auto use = [&rest](std::string method, std::string path) {
    return rest.store_use(make_request(std::move(method), std::move(path)));
  };
  CHECK(use("GET", "Patient/a") == StoreUse::kPointRead);
  CHECK(use("HEAD", "Patient/a") == StoreUse::kPointRead);
  CHECK(use("GET", "Patient/a/_history/2") == StoreUse::kPointRead);
  CHECK(use("GET", "metadata") == StoreUse::kNone);
  CHECK(use("GET", "NoSuchType/a") == StoreUse::kNone);        // 404 without the store
  CHECK(use("PUT", "Patient/a/_history") == StoreUse::kNone);  // 405 without the store
  CHECK(use("PATCH", "Patient") == StoreUse::kWrite);          // conditional patch
  CHECK(use("POST", "Patient") == StoreUse::kWrite);
  CHECK(use("PUT", "Patient/a") == StoreUse::kWrite);
  CHECK(use("DELETE", "Patient/a") == StoreUse::kWrite);
  CHECK(use("PATCH", "Patient/a") == StoreUse::kWrite);
  CHECK(use("GET", "Patient/a/_history") == StoreUse::kRead);
  CHECK(use("GET", "Patient/_history") == StoreUse::kRead);
  CHECK(use("GET", "_history") == StoreUse::kRead);
  CHECK(use("GET", "Patient") == StoreUse::kRead);
  CHECK(use("POST", "Patient/_search") == StoreUse::kRead);
}

TEST_CASE("XML both ways: create, read, update, history and errors in FHIR XML") {
  RestFixture f;
  const std::string xml_patient =
      R"(<Patient xmlns="http://hl7.org/fhir"><!-- a comment is ignored -->)"
      R"(<active value="true"/><name><family value="Chalmers"/><given value="Peter"/></name>)"
      R"(<birthDate value="1974-12-25"><extension url="http://example.org/x">)"
      R"(<valueDecimal value="1.50"/></extension></birthDate></Patient>)";
  Request post;
  post.method = "POST";
  post.path = "Patient";
  post.body = xml_patient;
  post.content_type = "application/fhir+xml";
  Response created = f.call(post);
  REQUIRE(created.status == 201);
  CHECK(created.content_type == "application/fhir+json; charset=utf-8");  // no Accept: JSON
  auto doc = body_json(created);
  const std::string id = doc["id"].GetString();
  CHECK(std::string(doc["name"][0]["family"].GetString()) == "Chalmers");
  CHECK(fhir::json_number_text(doc["_birthDate"]["extension"][0]["valueDecimal"]) == "1.50");

  Response read = f.call("GET", "Patient/" + id, {}, {{"_format", "application/fhir+xml"}});
  REQUIRE(read.status == 200);
  CHECK(read.content_type == "application/fhir+xml; charset=utf-8");
  CHECK(read.body.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  CHECK(read.body.find("<Patient xmlns=\"http://hl7.org/fhir\">") != std::string::npos);
  CHECK(read.body.find("<versionId value=\"1\"/>") != std::string::npos);
  CHECK(read.body.find("<valueDecimal value=\"1.50\"/>") != std::string::npos);

  Request put;
  put.method = "PUT";
  put.path = "Patient/" + id;
  put.content_type = "application/fhir+xml; charset=utf-8";
  put.accept = "application/fhir+xml";
  put.body = "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"" + id +
             "\"/><active value=\"false\"/></Patient>";
  Response updated = f.call(put);
  REQUIRE(updated.status == 200);
  CHECK(updated.content_type == "application/fhir+xml; charset=utf-8");
  CHECK(updated.body.find("<active value=\"false\"/>") != std::string::npos);

  Response history = f.call("GET", "Patient/" + id + "/_history", {}, {{"_format", "xml"}});
  REQUIRE(history.status == 200);
  CHECK(history.body.find("<Bundle xmlns=\"http://hl7.org/fhir\">") != std::string::npos);
  CHECK(history.body.find("<type value=\"history\"/>") != std::string::npos);
  CHECK(history.body.find("<resource><Patient>") != std::string::npos);

  // Errors in XML when XML is asked for; bad XML is 400, unknown elements 422.
  Response missing = f.call("GET", "Patient/nope", {}, {{"_format", "xml"}});
  CHECK(missing.status == 404);
  CHECK(missing.body.find("<OperationOutcome xmlns=\"http://hl7.org/fhir\">") != std::string::npos);
  post.body = "<Patient xmlns=\"http://hl7.org/fhir\"><active value=\"true\"></Patient>";
  Response malformed = f.call(post);
  CHECK(malformed.status == 400);
  CHECK(issue_code(malformed) == "structure");
  post.body = "<Patient xmlns=\"http://hl7.org/fhir\"><colour value=\"red\"/></Patient>";
  CHECK(f.call(post).status == 422);
  post.body = "<Patient xmlns=\"http://example.org/not-fhir\"/>";
  CHECK(f.call(post).status == 400);
  post.body =
      "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"&x;\"/></Patient>";
  Response xxe = f.call(post);
  CHECK(xxe.status == 400);
  CHECK(xxe.body.find("root:") == std::string::npos);
  post.body = xml_patient;
  post.path = "Observation";
  CHECK(f.call(post).status == 400);  // resourceType does not match the URL
}
