// Search and read over real HTTP against the real binary, beyond one type's filters: the
// _summary and _elements views (search.html#summary) on search and read, system-level search
// with and without _type (search.html#searchall) and its paging links, identifier:of-type, uri
// :contains and canonical references with and without |version. Values carry a per-run tag so
// a shared PostgreSQL store ($HEARTH_TEST_STORE) does not disturb them.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/url_encoding.h"
#include "search_support.h"

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerProcess;
namespace s = hearth::testing::search;

namespace {

using Keys = std::set<std::string>;

Keys key_set(const hearth::fhir::JsonDocument& bundle) {
  std::vector<std::string> keys = s::match_keys(bundle);
  return {keys.begin(), keys.end()};
}

std::vector<std::string> members(const hearth::fhir::JsonValue& object) {
  std::vector<std::string> names;
  for (const auto& m : object.GetObject()) names.emplace_back(m.name.GetString());
  return names;
}

bool has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool subsetted(const hearth::fhir::JsonValue& resource) {
  if (!resource.HasMember("meta") || !resource["meta"].HasMember("tag")) return false;
  for (const auto& tag : resource["meta"]["tag"].GetArray()) {
    if (std::string_view(tag["code"].GetString()) == "SUBSETTED") return true;
  }
  return false;
}

std::string patient_body(const std::string& family) {
  return R"({"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">P</div>"},"name":[{"family":")" +
         family +
         R"("}],"gender":"female","maritalStatus":{"text":"M"},"contact":[{"name":{"family":"C"}}]})";
}

TEST_CASE("search over HTTP: _summary and _elements on search and read") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string family = hearth::testing::unique_name("Sum");
  const std::string id = s::create(client, "Patient", patient_body(family));
  const std::string obs =
      s::create(client, "Observation",
                R"({"resourceType":"Observation","status":"final","code":{"text":")" + family +
                    R"("},"subject":{"reference":"Patient/)" + id +
                    R"("},"note":[{"text":"n"}],"valueQuantity":{"value":1.50,"unit":"mmHg"}})");

  // search, _summary=true: isSummary elements only, tagged; included resources too.
  auto bundle = s::search(
      client, "Observation?code:text=" + family + "&_summary=true&_include=Observation:subject");
  REQUIRE(bundle["entry"].Size() == 2);
  const auto& o = bundle["entry"][0]["resource"];
  CHECK_FALSE(has(members(o), "note"));
  CHECK(has(members(o), "valueQuantity"));
  CHECK(hearth::fhir::json_number_text(o["valueQuantity"]["value"]) == "1.50");  // text kept
  CHECK(subsetted(o));
  const auto& p = bundle["entry"][1]["resource"];
  CHECK(std::string_view(bundle["entry"][1]["search"]["mode"].GetString()) == "include");
  CHECK(has(members(p), "name"));
  CHECK_FALSE(has(members(p), "maritalStatus"));
  CHECK_FALSE(has(members(p), "text"));
  CHECK(subsetted(p));
  CHECK(s::link(bundle, "self").find("_summary=true") != std::string::npos);

  // read, each view; the stored resource itself is unchanged.
  auto text = s::json(client.get("Patient/" + id + "?_summary=text"));
  CHECK(members(text) == std::vector<std::string>{"resourceType", "id", "meta", "text"});
  CHECK(subsetted(text));
  auto data = s::json(client.get("Patient/" + id + "?_summary=data"));
  CHECK_FALSE(has(members(data), "text"));
  CHECK(has(members(data), "contact"));
  auto elements = s::json(client.get("Patient/" + id + "?_elements=gender,contact"));
  CHECK(members(elements) ==
        std::vector<std::string>{"resourceType", "id", "meta", "gender", "contact"});
  auto vread = s::json(client.get("Patient/" + id + "/_history/1?_elements=name"));
  CHECK(members(vread) == std::vector<std::string>{"resourceType", "id", "meta", "name"});
  auto full = s::json(client.get("Patient/" + id));
  CHECK(has(members(full), "maritalStatus"));
  CHECK_FALSE(subsetted(full));
  CHECK(members(s::json(client.get("Patient/" + id + "?_summary=false"))) == members(full));

  // _elements on a search; XML too.
  auto listed = s::search(client, "Observation?code:text=" + family + "&_elements=status");
  CHECK(members(listed["entry"][0]["resource"]) ==
        std::vector<std::string>{"resourceType", "id", "meta", "status", "code"});
  HttpResponse xml =
      client.get("Patient/" + id + "?_summary=true", {{"Accept", "application/fhir+xml"}});
  REQUIRE(xml.status == 200);
  CHECK(xml.body.find("SUBSETTED") != std::string::npos);
  CHECK(xml.body.find("maritalStatus") == std::string::npos);

  // Errors: 400 with an OperationOutcome naming the parameter.
  for (const std::string& target : std::vector<std::string>{
           "Patient/" + id + "?_summary=count", "Patient/" + id + "?_summary=yes",
           "Patient/" + id + "?_elements=nope", "Patient?_elements=name&_summary=true",
           "Patient?_elements=status", "Patient/" + id + "?_elements=name&_summary=data"}) {
    HttpResponse r = client.get(target);
    CHECK_MESSAGE(r.status == 400, target << " -> " << r.body);
    CHECK_MESSAGE(r.body.find("OperationOutcome") != std::string::npos, r.body);
  }
  (void)obs;
}

TEST_CASE("search over HTTP: system-level search with and without _type, its paging links") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string tag = hearth::testing::unique_name("sys");
  const std::string meta =
      R"("meta":{"tag":[{"system":"http://hearth.test/run","code":")" + tag + R"("}]})";
  const std::string by_tag = "_tag=" + hearth::url_encode("http://hearth.test/run|" + tag);
  const std::string p = s::create(
      client, "Patient",
      R"({"resourceType":"Patient",)" + meta + R"(,"name":[{"family":"Sys)" + tag + R"("}]})");
  const std::string pr = s::create(
      client, "Practitioner",
      R"({"resourceType":"Practitioner",)" + meta + R"(,"name":[{"family":"Sys)" + tag + R"("}]})");
  const std::string o = s::create(client, "Observation",
                                  R"({"resourceType":"Observation",)" + meta +
                                      R"(,"status":"final","code":{"text":"x"},)"
                                      R"("subject":{"reference":"Patient/)" +
                                      p + R"("}})");
  const Keys all{"Patient/" + p, "Practitioner/" + pr, "Observation/" + o};

  auto every = s::search(client, "/fhir?" + by_tag);
  CHECK(key_set(every) == all);
  CHECK(s::total(every) == 3);
  CHECK(s::link(every, "self").starts_with(server.base_url() + "?"));
  CHECK(key_set(s::search(client, "/fhir?_type=Patient,Observation&" + by_tag)) ==
        Keys{"Patient/" + p, "Observation/" + o});
  CHECK(key_set(s::search(client, "/fhir?_type=Observation&" + by_tag)) ==
        Keys{"Observation/" + o});
  // A parameter both types define; _lastUpdated and _sort from Resource.
  CHECK(key_set(s::search(client, "/fhir?_type=Patient,Practitioner&family=sys" + tag)) ==
        Keys{"Patient/" + p, "Practitioner/" + pr});
  CHECK(key_set(s::search(client,
                          "/fhir?_lastUpdated=gt2000-01-01&_sort=-_lastUpdated&" + by_tag)) == all);
  // POST [base]/_search with a form body.
  HttpResponse posted = client.post("_search", "_type=Practitioner&" + by_tag,
                                    {{"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE_MESSAGE(posted.status == 200, posted.body);
  CHECK(key_set(s::json(posted)) == Keys{"Practitioner/" + pr});
  // _include in a system search.
  auto included =
      s::search(client, "/fhir?_type=Observation&_include=Observation:subject&" + by_tag);
  REQUIRE(included["entry"].Size() == 2);
  CHECK(std::string_view(included["entry"][1]["search"]["mode"].GetString()) == "include");

  // Paging: one per page, the next links lead through every match exactly once.
  std::vector<std::string> seen;
  std::string next = "/fhir?_count=1&" + by_tag;
  for (int pages = 0; !next.empty() && pages < 10; ++pages) {
    auto page = s::search(client, next);
    for (const std::string& key : s::match_keys(page)) seen.push_back(key);
    next = s::link(page, "next");
    if (!next.empty()) CHECK(next.starts_with(server.base_url() + "?"));
  }
  CHECK(seen.size() == 3);
  CHECK(Keys(seen.begin(), seen.end()) == all);

  // Errors: a parameter one of the types lacks (strict), a type-only parameter without _type,
  // an unknown type, _type on a type search, a chain.
  const hearth::testing::Headers strict{{"Prefer", "handling=strict"}};
  for (const std::string& target : std::vector<std::string>{
           "/fhir?_type=Patient,Observation&family=x", "/fhir?family=x", "/fhir?_type=Nope",
           "/fhir/Patient?_type=Patient", "/fhir?_type=Observation&subject.name=x",
           "/fhir?_type=Observation&_include=Patient:organization"}) {
    HttpResponse r = client.get(target, strict);
    CHECK_MESSAGE(r.status == 400, target << " -> " << r.body);
  }
  // Lenient: the unknown parameter is ignored and reported.
  auto lenient = s::search(client, "/fhir?family=x&" + by_tag);
  CHECK(s::total(lenient) == 3);
  CHECK(s::link(lenient, "self").find("family") == std::string::npos);
}

TEST_CASE("search over HTTP: identifier:of-type, uri:contains, canonical references") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string tag = hearth::testing::unique_name("ot");
  const std::string v2 = "http://terminology.hl7.org/CodeSystem/v2-0203";
  const std::string p =
      s::create(client, "Patient",
                R"({"resourceType":"Patient","identifier":[{"type":{"coding":[{"system":")" + v2 +
                    R"(","code":"MR"}]},"system":"http://hosp.example","value":"MRN-)" + tag +
                    R"("},{"system":"http://other.example","value":"X-)" + tag + R"("}]})");
  CHECK(key_set(s::search(
            client, "Patient?identifier:of-type=" + hearth::url_encode(v2 + "|MR|MRN-" + tag))) ==
        Keys{"Patient/" + p});
  CHECK(key_set(s::search(client, "Patient?identifier:of-type=" +
                                      hearth::url_encode(v2 + "|SS|MRN-" + tag)))
            .empty());
  CHECK(key_set(s::search(client,
                          "Patient?identifier:of-type=" + hearth::url_encode(v2 + "|MR|X-" + tag)))
            .empty());
  // The plain forms still match once.
  auto plain = s::search(client, "Patient?identifier=MRN-" + tag);
  CHECK(s::match_keys(plain) == std::vector<std::string>{"Patient/" + p});
  CHECK(s::total(plain) == 1);
  CHECK(key_set(s::search(client, "Patient?identifier=" +
                                      hearth::url_encode("http://hosp.example|MRN-" + tag))) ==
        Keys{"Patient/" + p});
  CHECK(client.get("Patient?identifier:of-type=" + hearth::url_encode(v2 + "|MR")).status == 400);

  // uri :contains, case-sensitive on both engines.
  const std::string url = "http://example.org/Questionnaire/q-" + tag;
  const std::string q = s::create(client, "Questionnaire",
                                  R"({"resourceType":"Questionnaire","status":"active","url":")" +
                                      url + R"(","version":"1.0"})");
  CHECK(key_set(s::search(client, "Questionnaire?url:contains=q-" + tag)) ==
        Keys{"Questionnaire/" + q});
  std::string upper = "Q-" + tag;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  CHECK(key_set(s::search(client, "Questionnaire?url:contains=" + upper)).empty());
  CHECK(key_set(s::search(client, "Questionnaire?url=" + hearth::url_encode(url))) ==
        Keys{"Questionnaire/" + q});

  // Canonical references: with |version only that version, without it every version, and by
  // the Type/id the canonical ends in.
  auto response = [&](const std::string& canonical) {
    return s::create(client, "QuestionnaireResponse",
                     R"({"resourceType":"QuestionnaireResponse","status":"completed",)"
                     R"("questionnaire":")" +
                         canonical + R"("})");
  };
  const std::string r1 = response(url + "|1.0");
  const std::string r2 = response(url + "|2.0");
  const std::string r3 = response(url);
  const std::string base = "QuestionnaireResponse?questionnaire=";
  CHECK(key_set(s::search(client, base + hearth::url_encode(url + "|1.0"))) ==
        Keys{"QuestionnaireResponse/" + r1});
  CHECK(key_set(s::search(client, base + hearth::url_encode(url))) ==
        Keys{"QuestionnaireResponse/" + r1, "QuestionnaireResponse/" + r2,
             "QuestionnaireResponse/" + r3});
  CHECK(key_set(s::search(client, base + "Questionnaire/q-" + tag)) ==
        Keys{"QuestionnaireResponse/" + r1, "QuestionnaireResponse/" + r2,
             "QuestionnaireResponse/" + r3});
  CHECK(key_set(s::search(client, base + hearth::url_encode(url + "|3.0"))).empty());
}

}  // namespace
