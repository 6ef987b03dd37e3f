// Every interaction under --auth jwt, one row each (issue 17's acceptance): the same request
// without a token and with a malformed one is 401, with a valid token whose scopes fall short
// is 403, and with the scopes it needs is served (neither 401 nor 403, and no 5xx). The rows
// cover every label of api::kInteractionLabels that needs a token; the labels that need none
// (metadata, the SMART configuration, the probes) are checked to need none. A new interaction
// without a row fails the coverage check. Runs on SQLite and, through HEARTH_TEST_STORE, on
// PostgreSQL.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/service.h"
#include "jwt_harness.h"
#include "mllp_harness.h"
#include "search_support.h"

using namespace hearth::testing;  // NOLINT(google-build-using-namespace): a test's own file

namespace {

// One interaction: the request, the scopes that are enough and a valid scope set that is not.
struct Row {
  std::string label;  // as in api::kInteractionLabels
  std::string method;
  std::string target;  // relative: below /fhir
  std::string body;
  std::string content_type;  // "" for the harness's default
  std::string enough;
  std::string short_of;
  Headers extra = {};  // beside the token and the content type
};

// Labels that need no token: how a client learns to get one, and the orchestrator's probes.
const std::set<std::string> kPublic = {"capabilities", "smart-configuration", "healthz", "readyz"};

HttpResponse send(HttpClient& client, const Row& row, Headers headers) {
  if (!row.content_type.empty()) headers.emplace_back("Content-Type", row.content_type);
  headers.insert(headers.end(), row.extra.begin(), row.extra.end());
  return client.request(row.method, row.target, row.body, headers);
}

// Polls a Bulk Data status URL until the job is done; its manifest's first file URL.
std::string first_export_file(HttpClient& client, const std::string& status_url,
                              const Headers& auth) {
  for (int i = 0; i < 1500; ++i) {
    HttpResponse r = client.get(status_url, auth);
    if (r.status == 200) {
      auto manifest = search::json(r);
      REQUIRE(manifest["output"].Size() > 0);
      return manifest["output"][0]["url"].GetString();
    }
    REQUIRE_MESSAGE(r.status == 202, r.body);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("the export did not finish in 30 s");
  return {};
}

}  // namespace

TEST_CASE("auth matrix: every interaction is 401 without a valid token, 403 short of scope") {
  const TestSigningKey key = TestSigningKey::rsa("k1");
  JwksFile file(jwks_of({key.jwk()}));
  ServerProcess server(jwt_options(file));
  HttpClient client = server.client();
  const Headers admin = bearer_for(key, "system/*.* hearth/admin");
  const std::string tag = unique_name("amx");
  const std::string kept = "amx-p-" + tag;
  const std::string doomed = "amx-d-" + tag;
  const std::string ident = "urn:hearth:test:amx|" + tag;
  auto patient = [&](const std::string& id) {  // "" for one without an id
    return R"({"resourceType":"Patient",)" + (id.empty() ? "" : R"("id":")" + id + R"(",)") +
           R"("identifier":[{"system":"urn:hearth:test:amx","value":")" + tag +
           R"("}],"active":true})";
  };

  // What the rows act on, made with an administrator's token.
  const std::string since = search::json(client.get("metadata"))["date"].GetString();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(client.put("Patient/" + kept, patient(kept), admin).status == 201);
  REQUIRE(client.put("Patient/" + doomed, patient(doomed), admin).status == 201);
  REQUIRE(client
              .post("Observation",
                    R"({"resourceType":"Observation","status":"final","code":{"text":"amx"},)"
                    R"("subject":{"reference":"Patient/)" +
                        kept + R"("}})",
                    admin)
              .status == 201);
  const Headers async = {{"Prefer", "respond-async"}, {"Accept", "application/fhir+json"}};
  Headers admin_async = admin;
  admin_async.insert(admin_async.end(), async.begin(), async.end());
  HttpResponse kicked = client.get("$export?_type=Patient&_since=" + since, admin_async);
  REQUIRE_MESSAGE(kicked.status == 202, kicked.body);
  const std::string status_url = kicked.header("Content-Location");
  const std::string file_url = first_export_file(client, status_url, admin);
  MllpClient mllp("127.0.0.1", server.mllp_port());
  REQUIRE(msa(mllp.exchange(make_oru("AMX" + tag, "C" + tag)), 1) == "AA");
  auto listed = search::json(client.get("/hl7/messages?_count=1", admin));
  REQUIRE(listed["messages"].Size() == 1);
  const std::string message =
      "/hl7/messages/" + std::string(hearth::fhir::json_number_text(listed["messages"][0]["id"]));

  const std::string kJson = "application/json";
  const std::string patch = R"([{"op":"replace","path":"/active","value":false}])";
  const std::string bundle =
      R"({"resourceType":"Bundle","type":"transaction","entry":[{"resource":)" + patient("") +
      R"(,"request":{"method":"POST","url":"Patient"}}]})";
  const std::string gender = "http://hl7.org/fhir/administrative-gender";
  const std::vector<Row> rows = {
      {"read", "GET", "Patient/" + kept, "", "", "user/Patient.r", "user/Patient.s"},
      {"vread", "GET", "Patient/" + kept + "/_history/1", "", "", "user/Patient.r", "user/*.s"},
      {"update", "PUT", "Patient/" + kept, patient(kept), "", "user/Patient.u", "user/Patient.crs"},
      {"patch", "PATCH", "Patient/" + kept, patch, "application/json-patch+json", "user/Patient.u",
       "user/Patient.rs"},
      {"create", "POST", "Patient", patient(""), "", "user/Patient.c", "user/Observation.c"},
      {"history-instance", "GET", "Patient/" + kept + "/_history", "", "", "user/Patient.s",
       "user/Patient.r"},
      {"history-type", "GET", "Patient/_history?_count=1", "", "", "user/Patient.s",
       "user/Patient.r"},
      {"history-system", "GET", "_history?_count=1", "", "", "user/*.s", "user/Patient.s"},
      {"search-type", "GET", "Patient?identifier=" + ident, "", "", "user/Patient.s",
       "user/Patient.r"},
      {"search-compartment", "GET", "Patient/" + kept + "/Observation", "", "",
       "user/Observation.s", "user/Patient.s"},
      {"search-system", "POST", "_search", "_type=Patient&identifier=" + ident,
       "application/x-www-form-urlencoded", "user/*.s", "user/*.r"},
      {"transaction", "POST", "", bundle, "", "user/Patient.c", "user/Patient.rs"},
      {"conditional-update", "PUT", "Patient?identifier=" + ident + "&_id=" + kept, patient(kept),
       "", "user/Patient.us", "user/Patient.u"},
      {"conditional-patch", "PATCH", "Patient?identifier=" + ident + "&_id=" + kept, patch,
       "application/json-patch+json", "user/Patient.us", "user/Patient.u"},
      {"validate", "POST", "Patient/$validate", patient(""), "", "user/Patient.r",
       "user/Observation.r"},
      {"validate-code", "GET",
       "ValueSet/$validate-code?url=http://hl7.org/fhir/ValueSet/administrative-gender&system=" +
           gender + "&code=male",
       "", "", "user/ValueSet.r", "user/CodeSystem.r"},
      {"lookup", "GET", "CodeSystem/$lookup?system=" + gender + "&code=male", "", "",
       "user/CodeSystem.r", "user/ValueSet.r"},
      {"expand", "GET", "ValueSet/$expand?url=http://hl7.org/fhir/ValueSet/administrative-gender",
       "", "", "user/ValueSet.r", "user/CodeSystem.r"},
      {"subsumes", "GET", "CodeSystem/$subsumes?system=" + gender + "&codeA=male&codeB=male", "",
       "", "user/CodeSystem.r", "user/ValueSet.r"},
      {"translate", "GET",
       "ConceptMap/$translate?url=http://hl7.org/fhir/ConceptMap/cm-administrative-gender-v2"
       "&system=" +
           gender + "&code=male",
       "", "", "user/ConceptMap.r", "user/ValueSet.r"},
      {"everything", "GET", "Patient/" + kept + "/$everything", "", "", "user/*.s", "user/*.r"},
      {"hl7v2", "GET", "Patient/" + kept + "/$hl7v2?event=A08", "", "", "user/*.r",
       "user/Observation.r"},
      {"x12", "GET", "Claim/amx-none-" + tag + "/$x12", "", "", "user/Claim.r", "user/Patient.r"},
      {"export", "GET", "$export?_type=Patient&_since=" + since, "", "", "system/Patient.r",
       "user/*.*", async},
      {"export-status", "GET", status_url, "", "", "system/Patient.r", "user/*.*"},
      {"export-file", "GET", file_url, "", "", "system/Patient.r", "user/*.*"},
      {"hl7-list", "GET", "/hl7/messages?_count=1", "", "", "hearth/admin", "system/*.*"},
      {"hl7-read", "GET", message, "", "", "hearth/admin", "system/*.*"},
      {"hl7-replay", "POST", message + "/$replay", "", kJson, "hearth/admin", "system/*.*"},
      {"x12-ingest", "POST", "/x12", "ISA*00*not an interchange~", "application/edi-x12",
       "hearth/admin", "system/*.*"},
      {"metrics", "GET", "/metrics", "", "", "system/*.r", "user/*.*"},
      // Last: they take away what the rows above use.
      {"conditional-delete", "DELETE", "Patient?identifier=" + ident + "&_id=" + doomed, "", "",
       "user/Patient.ds", "user/Patient.d"},
      {"delete", "DELETE", "Patient/" + kept, "", "", "user/Patient.d", "user/Patient.crus"},
      {"export-delete", "DELETE", status_url, "", "", "system/Patient.r", "user/*.*"},
  };

  std::set<std::string> covered = kPublic;
  covered.insert("unknown");  // no route: nothing to authorise
  for (const Row& row : rows) {
    CAPTURE(row.label);
    CAPTURE(row.target);
    covered.insert(row.label);
    HttpResponse missing = send(client, row, {});
    CHECK(missing.status == 401);
    CHECK(missing.header("WWW-Authenticate").starts_with("Bearer"));
    CHECK(send(client, row, {{"Authorization", "Bearer not.a.token"}}).status == 401);
    HttpResponse short_of = send(client, row, bearer_for(key, row.short_of));
    CHECK_MESSAGE(short_of.status == 403, short_of.body);
    CHECK(short_of.body.find("OperationOutcome") != std::string::npos);
    HttpResponse served = send(client, row, bearer_for(key, row.enough));
    CHECK_MESSAGE(served.status != 401, served.body);
    CHECK_MESSAGE(served.status != 403, served.body);
    CHECK_MESSAGE(served.status < 500, served.body);
  }
  for (const std::string_view label : hearth::api::kInteractionLabels) {
    CHECK_MESSAGE(covered.count(std::string(label)) == 1,
                  "no row for the interaction '" << std::string(label) << "'");
  }

  // The labels that need no token are served without one.
  CHECK(client.get("metadata").status == 200);
  CHECK(client.get(".well-known/smart-configuration").status == 200);
  CHECK(client.get("/healthz").status == 200);
  CHECK(client.get("/readyz").status == 200);
}
