// Searches that follow references, over real HTTP against the real binary: _include and
// _revinclude entries (search.mode "include", each resource once, never also a match, links
// kept), :iterate to a fixed point through a cycle, chains and _has, and their 400s. Values
// carry a per-run tag so a shared PostgreSQL store ($HEARTH_TEST_STORE) does not disturb them.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "fhir/json.h"
#include "harness.h"

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerProcess;

namespace {

using Keys = std::multiset<std::string>;  // "Type/id", repeated if an entry repeats

hearth::fhir::JsonDocument json(const HttpResponse& r) {
  auto doc = hearth::fhir::parse_json(r.body);
  REQUIRE_MESSAGE(doc.is_ok(), r.body);
  return std::move(doc.value());
}

// A tag unique to this run and call, usable inside names and codes.
std::string create(HttpClient& client, const std::string& type, const std::string& body) {
  HttpResponse r = client.post(type, body);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(json(r)["id"].GetString());
}

// The entries of a searchset by search.mode, as "Type/id"; checks each fullUrl.
std::map<std::string, Keys> entries(HttpClient& client, const std::string& base,
                                    const std::string& target, std::string* self = nullptr) {
  HttpResponse r = client.get(target);
  REQUIRE_MESSAGE(r.status == 200, target << " -> " << r.body);
  auto bundle = json(r);
  std::map<std::string, Keys> out;
  if (self != nullptr) {
    for (const auto& l : bundle["link"].GetArray()) {
      if (std::string_view(l["relation"].GetString()) == "self") *self = l["url"].GetString();
    }
  }
  if (!bundle.HasMember("entry")) return out;
  for (const auto& e : bundle["entry"].GetArray()) {
    const std::string mode = e["search"]["mode"].GetString();
    if (mode == "outcome") {
      out[mode].insert(e["resource"]["issue"][0]["diagnostics"].GetString());
      continue;
    }
    const std::string key = std::string(e["resource"]["resourceType"].GetString()) + "/" +
                            e["resource"]["id"].GetString();
    CHECK(std::string(e["fullUrl"].GetString()) == base + "/" + key);
    out[mode].insert(key);
  }
  return out;
}

struct World {
  std::string tag;
  std::string org_a, org_b, p1, p2, o1, o2, o3, enc;
  std::string code;
};

// Organizations A and B part of each other (a cycle), patient p1 of A with observations o1 and
// o2 and an encounter, patient p2 of B with o3.
World load(HttpClient& client) {
  World w;
  w.tag = hearth::testing::unique_name("l");
  const std::string& tag = w.tag;
  w.code = "code-" + tag;
  w.org_a =
      create(client, "Organization", R"({"resourceType":"Organization","name":"A)" + tag + "\"}");
  w.org_b = create(client, "Organization",
                   R"({"resourceType":"Organization","name":"B)" + tag +
                       R"(","partOf":{"reference":"Organization/)" + w.org_a + "\"}}");
  HttpResponse put =
      client.put("Organization/" + w.org_a,
                 R"({"resourceType":"Organization","id":")" + w.org_a + R"(","name":"A)" + tag +
                     R"(","partOf":{"reference":"Organization/)" + w.org_b + "\"}}");
  REQUIRE_MESSAGE(put.status == 200, put.body);
  auto patient = [&](const std::string& family, const std::string& org) {
    return create(client, "Patient",
                  R"({"resourceType":"Patient","name":[{"family":")" + family + tag +
                      R"("}],"managingOrganization":{"reference":"Organization/)" + org + "\"}}");
  };
  w.p1 = patient("Peterson", w.org_a);
  w.p2 = patient("Paulsen", w.org_b);
  w.enc = create(client, "Encounter",
                 R"({"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},)"
                 R"("subject":{"reference":"Patient/)" +
                     w.p1 + "\"}}");
  auto observation = [&](const std::string& subject, const std::string& extra) {
    return create(
        client, "Observation",
        R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"urn:t","code":")" +
            w.code + R"("}]},"subject":{"reference":"Patient/)" + subject + "\"}" + extra + "}");
  };
  w.o1 = observation(w.p1, R"(,"encounter":{"reference":"Encounter/)" + w.enc + "\"}");
  w.o2 = observation(w.p1, "");
  w.o3 = observation(w.p2, "");
  return w;
}

TEST_CASE("search links over HTTP: _include, _revinclude and :iterate") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string base = server.base_url();
  const World w = load(client);
  const std::string by_code = "Observation?code=urn:t%7C" + w.code;

  // _include: each patient once although two observations reference p1.
  std::string self;
  auto r = entries(client, base, by_code + "&_include=Observation:subject&_count=50", &self);
  CHECK(r["match"] == Keys{"Observation/" + w.o1, "Observation/" + w.o2, "Observation/" + w.o3});
  CHECK(r["include"] == Keys{"Patient/" + w.p1, "Patient/" + w.p2});
  CHECK(self.find("_include=Observation:subject") != std::string::npos);

  // Paging keeps the directives, and each page includes what its own matches reference.
  r = entries(client, base, by_code + "&_include=Observation:subject&_count=1&_sort=_id");
  CHECK(r["match"].size() == 1);
  CHECK(r["include"].size() == 1);

  // _include=* follows every reference of the matches; a target type narrows it.
  r = entries(client, base, "Observation?_id=" + w.o1 + "&_include=*");
  CHECK(r["include"] == Keys{"Patient/" + w.p1, "Encounter/" + w.enc});
  r = entries(client, base, by_code + "&_include=Observation:subject:Group");
  CHECK(r["include"].empty());

  // _revinclude: what references the matches.
  r = entries(
      client, base,
      "Patient?_id=" + w.p1 + "&_revinclude=Observation:subject&_revinclude=Encounter:subject");
  CHECK(r["match"] == Keys{"Patient/" + w.p1});
  CHECK(r["include"] == Keys{"Observation/" + w.o1, "Observation/" + w.o2, "Encounter/" + w.enc});
  r = entries(client, base, "Patient?_id=" + w.p2 + "&_revinclude=*");
  CHECK(r["include"] == Keys{"Observation/" + w.o3});

  // Without :iterate only the matches' references count; with it, the included ones' too,
  // through the A <-> B cycle to a fixed point, each organisation once.
  const std::string obs1 = "Observation?_id=" + w.o1 + "&_include=Observation:subject";
  r = entries(client, base, obs1);
  CHECK(r["include"] == Keys{"Patient/" + w.p1});
  r = entries(client, base, obs1 + "&_include:iterate=Patient:organization");
  CHECK(r["include"] == Keys{"Patient/" + w.p1, "Organization/" + w.org_a});
  r = entries(client, base,
              obs1 + "&_include:iterate=Patient:organization&_include:iterate=Organization:partof");
  CHECK(r["include"] ==
        Keys{"Patient/" + w.p1, "Organization/" + w.org_a, "Organization/" + w.org_b});
  // A match is never also an include: A is matched, B included once, the cycle ends.
  r = entries(client, base,
              "Organization?_id=" + w.org_a + "&_include:iterate=Organization:partof");
  CHECK(r["match"] == Keys{"Organization/" + w.org_a});
  CHECK(r["include"] == Keys{"Organization/" + w.org_b});
  r = entries(client, base,
              "Organization?_id=" + w.org_a + "," + w.org_b +
                  "&_include=Organization:partof&_revinclude=Organization:partof");
  CHECK(r["include"].empty());
  // _revinclude:iterate from the organisations back to their patients, then observations.
  r = entries(client, base,
              "Organization?_id=" + w.org_b +
                  "&_revinclude=Patient:organization"
                  "&_revinclude:iterate=Observation:patient");
  CHECK(r["include"] == Keys{"Patient/" + w.p2, "Observation/" + w.o3});
  CHECK(r["outcome"].empty());

  // _summary=count has no entries, so no includes.
  r = entries(client, base, by_code + "&_include=Observation:subject&_summary=count");
  CHECK(r["include"].empty());
}

TEST_CASE("search links over HTTP: chains and _has") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string base = server.base_url();
  const World w = load(client);
  const std::string& tag = w.tag;
  auto matches = [&](const std::string& target) { return entries(client, base, target)["match"]; };

  CHECK(matches("Observation?subject:Patient.name=peterson" + tag) ==
        Keys{"Observation/" + w.o1, "Observation/" + w.o2});
  CHECK(matches("Observation?patient.name=paulsen" + tag) == Keys{"Observation/" + w.o3});
  CHECK(matches("Observation?subject:Patient.organization.name=b" + tag) ==
        Keys{"Observation/" + w.o3});
  CHECK(matches("Observation?subject:Patient.organization.partof.name=b" + tag) ==
        Keys{"Observation/" + w.o1, "Observation/" + w.o2});
  CHECK(matches("Observation?encounter.subject:Patient.name=peterson" + tag) ==
        Keys{"Observation/" + w.o1});
  CHECK(matches("Patient?_has:Observation:patient:code=urn:t%7C" + w.code) ==
        Keys{"Patient/" + w.p1, "Patient/" + w.p2});
  CHECK(matches("Patient?_has:Encounter:subject:status=finished&name=peterson" + tag) ==
        Keys{"Patient/" + w.p1});
  CHECK(matches("Organization?_has:Patient:organization:_has:Observation:patient:encounter=" +
                w.enc) == Keys{"Organization/" + w.org_a});
  // A chain with _include: the matches' patients included.
  auto r =
      entries(client, base,
              "Observation?subject:Patient.name=paulsen" + tag + "&_include=Observation:patient");
  CHECK(r["include"] == Keys{"Patient/" + w.p2});

  auto expect_400 = [&](const std::string& target, std::string_view words) {
    HttpResponse bad = client.get(target);
    CHECK_MESSAGE(bad.status == 400, target << " -> " << bad.body);
    CHECK(std::string_view(json(bad)["resourceType"].GetString()) == "OperationOutcome");
    CHECK_MESSAGE(bad.body.find(words) != std::string::npos, bad.body);
  };
  expect_400("Observation?subject.name=x", "ambiguous chain 'subject.name'");
  expect_400("Observation?subject:Patient.nope=x", "unknown search parameter 'nope' for Patient");
  expect_400("Observation?subject:Patient.gender:not=male", "not supported in a chain");
  expect_400("Observation?subject:Patient.organization.partof.partof.partof.name=x",
             "more than 4 chained links");
  expect_400("Patient?_has:Observation:encounter:code=x", "does not reference Patient");
  expect_400("Observation?_include=Observation:code", "not a reference parameter");
  expect_400("Observation?_include:recurse=Observation:subject", "the only modifier is :iterate");
  expect_400("Observation?_id=x&_include=Patient:organization", "(or use :iterate)");
}

TEST_CASE("search links over HTTP: compartment search") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string base = server.base_url();
  const World w = load(client);
  std::string self;
  auto r = entries(client, base, "Patient/" + w.p1 + "/Observation", &self);
  CHECK(r["match"] == Keys{"Observation/" + w.o1, "Observation/" + w.o2});
  CHECK(self.starts_with(base + "/Patient/" + w.p1 + "/Observation?"));
  r = entries(
      client, base,
      "Patient/" + w.p2 + "/Observation?code=urn:t%7C" + w.code + "&_include=Observation:subject");
  CHECK(r["match"] == Keys{"Observation/" + w.o3});
  CHECK(r["include"] == Keys{"Patient/" + w.p2});
  CHECK(entries(client, base, "Patient/" + w.p1 + "/Encounter")["match"] ==
        Keys{"Encounter/" + w.enc});
  CHECK(entries(client, base, "Encounter/" + w.enc + "/Observation")["match"] ==
        Keys{"Observation/" + w.o1});
  CHECK(entries(client, base, "Encounter/" + w.enc + "/Encounter")["match"] ==
        Keys{"Encounter/" + w.enc});
  CHECK(entries(client, base, "Patient/nobody-" + w.tag + "/Observation")["match"].empty());

  HttpResponse outside = client.get("Patient/" + w.p1 + "/Organization");
  CHECK(outside.status == 400);
  CHECK_MESSAGE(
      outside.body.find("Organization is not in the Patient compartment") != std::string::npos,
      outside.body);
  CHECK(client.get("Observation/" + w.o1 + "/Patient").status == 404);
  CHECK(client.get("Unicorn/1/Observation").status == 404);
  CHECK(client.get("Patient/" + w.p1 + "/Unicorn").status == 404);
  CHECK(client.request("POST", "Patient/" + w.p1 + "/Observation", "{}").status == 405);
}

}  // namespace
