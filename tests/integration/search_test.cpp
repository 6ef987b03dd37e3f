// FHIR search over real HTTP against the real binary: GET and POST _search, every parameter
// type the index answers, modifiers and prefixes, paging links that lead through every match,
// XML searchsets, and the error contract (400 with an OperationOutcome for what is not
// understood under handling=strict or not supported; unknown names ignored and reported
// otherwise). Values carry a per-run tag so a shared PostgreSQL store ($HEARTH_TEST_STORE)
// holding other runs' resources does not disturb the counts.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "fhir/json.h"
#include "harness.h"

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerProcess;

namespace {

hearth::fhir::JsonDocument json(const HttpResponse& r) {
  auto doc = hearth::fhir::parse_json(r.body);
  REQUIRE_MESSAGE(doc.is_ok(), r.body);
  return std::move(doc.value());
}

// A tag unique to this run, usable inside names and codes.
std::string run_tag() {
  static const std::string tag = hearth::testing::unique_name("t");
  return tag;
}

std::string create(HttpClient& client, const std::string& type, const std::string& body) {
  HttpResponse r = client.post(type, body);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(json(r)["id"].GetString());
}

// The ids of a searchset's match entries, in order.
std::vector<std::string> match_ids(const hearth::fhir::JsonDocument& bundle) {
  std::vector<std::string> out;
  if (!bundle.HasMember("entry")) return out;
  for (const auto& e : bundle["entry"].GetArray()) {
    if (std::string_view(e["search"]["mode"].GetString()) == "match") {
      out.emplace_back(e["resource"]["id"].GetString());
    }
  }
  return out;
}

std::set<std::string> search_ids(HttpClient& client, const std::string& target) {
  HttpResponse r = client.get(target);
  REQUIRE_MESSAGE(r.status == 200, target << " -> " << r.body);
  auto v = match_ids(json(r));
  return {v.begin(), v.end()};
}

// Bundle.total (fhir::parse_json keeps numbers as their text).
int total(const hearth::fhir::JsonDocument& bundle) {
  REQUIRE(bundle.HasMember("total"));
  return std::stoi(std::string(hearth::fhir::json_number_text(bundle["total"])));
}

std::string link(const hearth::fhir::JsonDocument& bundle, std::string_view relation) {
  for (const auto& l : bundle["link"].GetArray()) {
    if (std::string_view(l["relation"].GetString()) == relation) return l["url"].GetString();
  }
  return "";
}

TEST_CASE("search over HTTP: parameter types, modifiers, prefixes, AND/OR") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string tag = run_tag();
  const std::string fam1 = "Chalmers" + tag, fam2 = "Chalk" + tag;
  const std::string p1 =
      create(client, "Patient",
             R"({"resourceType":"Patient","active":true,"gender":"male","birthDate":"1974-12-25",)"
             R"("name":[{"family":")" +
                 fam1 +
                 R"(","given":["Peter","James"]}],)"
                 R"("identifier":[{"system":"urn:oid:1.2.36.146.595.217.0.1","value":"MRN-)" +
                 tag +
                 R"("}],)"
                 R"("address":[{"city":"PleasantVille)" +
                 tag + R"("}]})");
  const std::string p2 =
      create(client, "Patient",
             R"({"resourceType":"Patient","active":false,"gender":"female","birthDate":"1980-03",)"
             R"("name":[{"family":")" +
                 fam2 + R"(","given":["Ann"]}]})");
  const std::string obs = create(
      client, "Observation",
      R"({"resourceType":"Observation","status":"final",)"
      R"("code":{"coding":[{"system":"http://loinc.org","code":"29463-7","display":"Body weight"}]},)"
      R"("subject":{"reference":"Patient/)" +
          p1 +
          R"("},"effectiveDateTime":"2020-03-04T10:15:00Z",)"
          R"("valueQuantity":{"value":72.5,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}})");

  // string: prefix, case- and accent-insensitive; :exact; :contains
  CHECK(search_ids(client, "Patient?family=chal").size() >= 2);
  CHECK(search_ids(client, "Patient?name=" + tag).empty());  // a prefix, not a substring
  CHECK(search_ids(client, "Patient?family=CHALMERS" + tag) == std::set<std::string>{p1});
  CHECK(search_ids(client, "Patient?family:exact=" + fam1) == std::set<std::string>{p1});
  CHECK(search_ids(client, "Patient?family:exact=chalmers" + tag).empty());
  CHECK(search_ids(client, "Patient?family:contains=" + tag) == std::set<std::string>{p1, p2});
  CHECK(search_ids(client, "Patient?family=" + fam1 + "," + fam2) == std::set<std::string>{p1, p2});
  CHECK(search_ids(client, "Patient?given=pet&family:contains=" + tag) ==
        std::set<std::string>{p1});
  CHECK(search_ids(client, "Patient?address-city=pleasantville" + tag) ==
        std::set<std::string>{p1});
  // token: code, system|code, :not, boolean
  CHECK(search_ids(client, "Patient?identifier=MRN-" + tag) == std::set<std::string>{p1});
  CHECK(search_ids(client, "Patient?identifier=urn:oid:1.2.36.146.595.217.0.1%7CMRN-" + tag) ==
        std::set<std::string>{p1});
  CHECK(search_ids(client, "Patient?identifier=urn:other%7CMRN-" + tag).empty());
  CHECK(search_ids(client, "Patient?gender=female&family:contains=" + tag) ==
        std::set<std::string>{p2});
  CHECK(search_ids(client, "Patient?gender:not=female&family:contains=" + tag) ==
        std::set<std::string>{p1});
  CHECK(search_ids(client, "Patient?active=true&family:contains=" + tag) ==
        std::set<std::string>{p1});
  // date prefixes
  CHECK(search_ids(client, "Patient?birthdate=1974-12-25&family:contains=" + tag) ==
        std::set<std::string>{p1});
  CHECK(search_ids(client, "Patient?birthdate=ge1980&family:contains=" + tag) ==
        std::set<std::string>{p2});
  CHECK(search_ids(client, "Patient?birthdate=lt1980-01-01&family:contains=" + tag) ==
        std::set<std::string>{p1});
  // reference, token on CodeableConcept, quantity, date on Observation
  CHECK(search_ids(client, "Observation?subject=Patient/" + p1) == std::set<std::string>{obs});
  CHECK(search_ids(client, "Observation?patient=" + p1) == std::set<std::string>{obs});
  CHECK(search_ids(client, "Observation?subject:Patient=" + p1) == std::set<std::string>{obs});
  CHECK(search_ids(client, "Observation?subject=" + server.base_url() + "/Patient/" + p1) ==
        std::set<std::string>{obs});
  CHECK(search_ids(client, "Observation?subject=Patient/" + p2).empty());
  CHECK(search_ids(client, "Observation?code=http://loinc.org%7C29463-7&subject=Patient/" + p1) ==
        std::set<std::string>{obs});
  CHECK(search_ids(
            client,
            "Observation?value-quantity=72.5%7Chttp://unitsofmeasure.org%7Ckg&subject=Patient/" +
                p1) == std::set<std::string>{obs});
  CHECK(search_ids(client, "Observation?value-quantity=gt80&subject=Patient/" + p1).empty());
  CHECK(search_ids(client, "Observation?date=2020-03&subject=Patient/" + p1) ==
        std::set<std::string>{obs});
  CHECK(search_ids(client, "Observation?date=2020-03-05&subject=Patient/" + p1).empty());
  // _id, :missing
  CHECK(search_ids(client, "Patient?_id=" + p1 + "," + p2) == std::set<std::string>{p1, p2});
  CHECK(search_ids(client, "Patient?address-city:missing=true&family:contains=" + tag) ==
        std::set<std::string>{p2});

  // POST _search with a form body answers the same
  HttpResponse posted = client.request("POST", "Patient/_search", "family=" + fam1,
                                       {{"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE_MESSAGE(posted.status == 200, posted.body);
  CHECK(match_ids(json(posted)) == std::vector<std::string>{p1});

  // an update changes what matches; a delete removes the resource from results
  HttpResponse updated = client.put(
      "Patient/" + p2, R"({"resourceType":"Patient","id":")" + p2 +
                           R"(","gender":"female","name":[{"family":"Zed)" + tag + R"("}]})");
  REQUIRE(updated.status == 200);
  CHECK(search_ids(client, "Patient?family=" + fam2).empty());
  CHECK(search_ids(client, "Patient?family=zed" + tag) == std::set<std::string>{p2});
  REQUIRE(client.del("Patient/" + p2).status == 200);
  CHECK(search_ids(client, "Patient?family=zed" + tag).empty());
}

TEST_CASE(
    "search over HTTP: searchset Bundle, paging links through every match, _sort, _summary=count, "
    "XML") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string tag = run_tag() + "p";
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.insert(create(client, "Patient",
                          R"({"resourceType":"Patient","name":[{"family":"Page)" + tag +
                              R"(","given":["G)" + std::to_string(i) + R"("]}],"birthDate":"19)" +
                              std::to_string(70 + i) + R"("})"));
  }
  HttpResponse first = client.get("Patient?family=page" + tag + "&_count=3&_sort=-birthdate");
  REQUIRE(first.status == 200);
  auto bundle = json(first);
  CHECK(std::string_view(bundle["type"].GetString()) == "searchset");
  CHECK(total(bundle) == 7);
  CHECK(match_ids(bundle).size() == 3);
  for (const char* rel : {"self", "first", "next", "last"})
    CHECK_MESSAGE(!link(bundle, rel).empty(), rel);
  CHECK(link(bundle, "previous").empty());
  CHECK(link(bundle, "self").find("_sort=-birthdate") != std::string::npos);
  // newest birth date first
  CHECK(std::string_view(bundle["entry"][0]["resource"]["birthDate"].GetString()) == "1976");
  CHECK(std::string_view(bundle["entry"][0]["fullUrl"].GetString()) ==
        server.base_url() + "/Patient/" + bundle["entry"][0]["resource"]["id"].GetString());

  std::set<std::string> seen;
  std::string next = link(bundle, "self");
  int pages = 0;
  while (!next.empty() && pages < 10) {
    auto page = json(client.get(next));
    for (const std::string& id : match_ids(page)) CHECK(seen.insert(id).second);
    next = link(page, "next");
    ++pages;
  }
  CHECK(pages == 3);
  CHECK(seen == created);

  auto last = json(client.get(link(bundle, "last")));
  CHECK(match_ids(last).size() == 1);
  CHECK(std::string_view(last["entry"][0]["resource"]["birthDate"].GetString()) == "1970");
  CHECK(!link(last, "previous").empty());

  auto count_only = json(client.get("Patient?family=page" + tag + "&_summary=count"));
  CHECK(total(count_only) == 7);
  CHECK_FALSE(count_only.HasMember("entry"));

  HttpResponse xml =
      client.get("Patient?family=page" + tag + "&_count=1", {{"Accept", "application/fhir+xml"}});
  REQUIRE(xml.status == 200);
  CHECK(xml.header("Content-Type").starts_with("application/fhir+xml"));
  CHECK(xml.body.find("<type value=\"searchset\"/>") != std::string::npos);
  CHECK(xml.body.find("<total value=\"7\"/>") != std::string::npos);
}

TEST_CASE("search over HTTP: ContactPoint tokens are system|value") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string tag = run_tag();
  const std::string phone = "555-555-2003" + tag, mail = "p" + tag + "@example.org";
  const std::string p =
      create(client, "Patient",
             R"({"resourceType":"Patient","telecom":[{"system":"phone","value":")" + phone +
                 R"("},{"system":"email","value":")" + mail + R"("}]})");
  using Ids = std::set<std::string>;
  CHECK(search_ids(client, "Patient?phone=phone%7C" + phone) == Ids{p});
  CHECK(search_ids(client, "Patient?phone=" + phone) == Ids{p});
  CHECK(search_ids(client, "Patient?telecom=phone%7C" + phone) == Ids{p});
  CHECK(search_ids(client, "Patient?telecom=email%7C" + mail) == Ids{p});
  CHECK(search_ids(client, "Patient?email=email%7C" + mail) == Ids{p});
  CHECK(search_ids(client, "Patient?telecom=email%7C" + phone).empty());  // wrong system
  CHECK(search_ids(client, "Patient?telecom=%7C" + phone).empty());       // "|v": no system
  // (A ContactPoint with a value and no system is refused on write: cpt-2.)
  CHECK(search_ids(client, "Patient?telecom=phone%7C&telecom=" + phone) == Ids{p});
}

TEST_CASE("search over HTTP: errors are OperationOutcomes; unknown parameters per handling") {
  ServerProcess server;
  HttpClient client = server.client();
  auto expect_400 = [&](const std::string& target, std::string_view words,
                        const hearth::testing::Headers& h = {}) {
    HttpResponse r = client.get(target, h);
    CHECK_MESSAGE(r.status == 400, target << " -> " << r.body);
    auto doc = json(r);
    CHECK(std::string_view(doc["resourceType"].GetString()) == "OperationOutcome");
    CHECK_MESSAGE(r.body.find(words) != std::string::npos, r.body);
  };
  expect_400("Patient?birthdate=yesterday", "birthdate");
  expect_400("Patient?family:fuzzy=x", "fuzzy");
  expect_400("Patient?_count=-1", "_count");
  expect_400("Patient?general-practitioner.name=x", "ambiguous chain 'general-practitioner.name'");
  expect_400("Patient?nonsense=1", "nonsense", {{"Prefer", "handling=strict"}});
  expect_400("Patient?_include=Patient:name", "'_include=Patient:name'");
  expect_400("Patient?_include=Observation:subject", "must be the searched type Patient");

  // lenient (the default): the unknown parameter is ignored, said so, and left out of self
  HttpResponse lenient = client.get("Patient?nonsense=1&_count=1");
  REQUIRE(lenient.status == 200);
  auto bundle = json(lenient);
  CHECK(link(bundle, "self").find("nonsense") == std::string::npos);
  bool warned = false;
  for (const auto& e : bundle["entry"].GetArray()) {
    if (std::string_view(e["search"]["mode"].GetString()) == "outcome") {
      warned = std::string(e["resource"]["issue"][0]["diagnostics"].GetString()).find("nonsense") !=
               std::string::npos;
    }
  }
  CHECK(warned);
  // an unknown resource type is 404, as for every type-level interaction
  CHECK(client.get("Unicorn?name=x").status == 404);
  // POST _search with a JSON body is the wrong media type
  CHECK(client.request("POST", "Patient/_search", "{}", {{"Content-Type", "application/fhir+json"}})
            .status == 415);
}

}  // namespace
