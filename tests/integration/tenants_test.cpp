// Tenants over HTTP (`--tenancy url`, docs/tenancy.md), against the real binary on the test
// store (SQLite, or PostgreSQL through $HEARTH_TEST_STORE; the tenants' names carry a per-run
// suffix so a shared database's other rows do not matter). The leak test: two tenants hold the
// same ids, names and identifiers (and two patients each); every interaction in one returns
// nothing of the other: read, vread, history at its three levels, search with _include,
// _revinclude, chains, _has and _content, conditional create and update, transaction GET
// entries, $export and the audit trail; references never resolve across tenants. Also: every
// base URL the server writes names the tenant, and paths without a tenant are refused.
#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "search_support.h"

using hearth::testing::Headers;
using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using hearth::testing::unique_name;
using hearth::testing::search::json;
using hearth::testing::search::link;
using hearth::testing::search::match_keys;
using hearth::testing::search::search;
using hearth::testing::search::total;

namespace {

// The marker every resource of tenant `tenant` carries (meta.tag), so a body shows whose it is.
std::string marker(const std::string& tenant) {
  return "mark-" + tenant;
}

std::string tag(const std::string& tenant) {
  return R"("meta":{"tag":[{"system":"urn:hearth-test","code":")" + marker(tenant) + R"("}]})";
}

void put(HttpClient& client, const std::string& path, const std::string& body) {
  HttpResponse r = client.put(path, body);
  REQUIRE_MESSAGE((r.status == 201 || r.status == 200), path << " -> " << r.body);
}

std::string patient(const std::string& tenant, const std::string& id, const std::string& family,
                    const std::string& given, const std::string& mrn) {
  return R"({"resourceType":"Patient","id":")" + id + R"(",)" + tag(tenant) +
         R"(,"name":[{"family":")" + family + R"(","given":[")" + given +
         R"("]}],"identifier":[{"system":"urn:mrn","value":")" + mrn +
         R"("}],"managingOrganization":{"reference":"Organization/org1"}})";
}

std::string observation(const std::string& tenant, const std::string& id,
                        const std::string& subject, const std::string& code) {
  return R"({"resourceType":"Observation","id":")" + id + R"(",)" + tag(tenant) +
         R"(,"status":"final","code":{"coding":[{"system":"http://loinc.org","code":")" + code +
         R"("}]},"subject":{"reference":")" + subject + R"("}})";
}

// Both tenants: Organization/org1, Patient/p1 and Patient/p2 (family "Shared", the same MRNs),
// Observation/o1 of p1. Beta only: Patient/p3 ("Hidden", MRN 999), Observation/o2 of p1 (code
// 9999-9), Observation/o3 of p3, a second version of p1, Organization/borg ("BetaOrg"). Alpha
// only: Observation/dangling naming Patient/p3 (beta's), Observation/abs naming beta's p3 by
// its absolute URL.
void seed(HttpClient& client, const std::string& tenant, const std::string& given) {
  put(client, "Organization/org1",
      R"({"resourceType":"Organization","id":"org1",)" + tag(tenant) + R"(,"name":"Acme"})");
  put(client, "Patient/p1", patient(tenant, "p1", "Shared", given, "123"));
  put(client, "Patient/p2", patient(tenant, "p2", "Shared", "Second", "456"));
  put(client, "Observation/o1", observation(tenant, "o1", "Patient/p1", "1234-5"));
}

bool has(const HttpResponse& r, const std::string& text) {
  return r.body.find(text) != std::string::npos;
}

void check_total(HttpClient& client, const std::string& tenant, const std::string& query,
                 int expected) {
  CHECK_MESSAGE(total(search(client, query)) == expected, tenant << ": " << query);
}

// The tenant-scoped clients of one server.
struct Tenants {
  explicit Tenants(const ServerProcess& server)
      : sfx(unique_name()),
        alpha("alpha-" + sfx),
        beta("beta-" + sfx),
        a("127.0.0.1", server.port(), "/fhir/" + alpha),
        b("127.0.0.1", server.port(), "/fhir/" + beta),
        origin("http://127.0.0.1:" + std::to_string(server.port())) {
    seed(a, alpha, "Alphaonly");
    seed(b, beta, "Betaonly");
    put(b, "Patient/p3", patient(beta, "p3", "Hidden", "Betaonly", "999"));
    put(b, "Observation/o2", observation(beta, "o2", "Patient/p1", "9999-9"));
    put(b, "Observation/o3", observation(beta, "o3", "Patient/p3", "1234-5"));
    put(b, "Patient/p1", patient(beta, "p1", "Shared", "Betaonly", "123"));  // version 2
    put(b, "Organization/borg",
        R"({"resourceType":"Organization","id":"borg",)" + tag(beta) + R"(,"name":"BetaOrg"})");
    put(a, "Observation/dangling", observation(alpha, "dangling", "Patient/p3", "1234-5"));
    put(a, "Observation/abs",
        observation(alpha, "abs", origin + "/fhir/" + beta + "/Patient/p3", "1234-5"));
  }

  // A response of tenant alpha: carries nothing of beta's, and no URL of beta's is written
  // (alpha's Observation/abs names beta's p3 in its body, as it was stored).
  void alpha_only(const HttpResponse& r) const {
    CHECK_MESSAGE(!has(r, marker(beta)), r.body);
    CHECK_MESSAGE(!has(r, "Url\":\"" + origin + "/fhir/" + beta), r.body);
    CHECK_MESSAGE(!has(r, "\"url\":\"" + origin + "/fhir/" + beta), r.body);
  }

  // `query`'s total in each tenant: the same check, run in alpha and then in beta.
  void check_totals(const std::string& query, int in_alpha, int in_beta) {
    check_total(a, alpha, query, in_alpha);
    check_total(b, beta, query, in_beta);
  }

  std::string sfx, alpha, beta;
  HttpClient a, b;
  std::string origin;  // "http://127.0.0.1:PORT"
};

ServerOptions url_tenancy(std::vector<std::string> more = {}) {
  ServerOptions options;
  // The harness's MLLP listener needs a tenant; nothing is sent to it here.
  options.args = {"--tenancy", "url", "--mllp-tenant", "inbox"};
  options.args.insert(options.args.end(), more.begin(), more.end());
  return options;
}

}  // namespace

TEST_CASE("tenants: read, vread and history see only their tenant") {
  ServerProcess server(url_tenancy());
  Tenants t(server);

  HttpResponse p1 = t.a.get("Patient/p1");
  REQUIRE(p1.status == 200);
  CHECK(has(p1, marker(t.alpha)));
  t.alpha_only(p1);
  CHECK(has(t.b.get("Patient/p1"), marker(t.beta)));
  CHECK(t.a.get("Patient/p3").status == 404);
  CHECK(t.b.get("Patient/p3").status == 200);
  CHECK(t.a.get("Organization/borg").status == 404);

  CHECK(t.a.get("Patient/p1/_history/2").status == 404);
  CHECK(t.b.get("Patient/p1/_history/2").status == 200);
  HttpResponse v1 = t.a.get("Patient/p1/_history/1");
  REQUIRE(v1.status == 200);
  t.alpha_only(v1);

  t.check_totals("Patient/p1/_history", 1, 2);
  for (const std::string& target :
       {std::string("Patient/p1/_history"), std::string("Patient/_history"),
        std::string("_history"), std::string("Observation/_history?_count=50")}) {
    HttpResponse r = t.a.get(target);
    REQUIRE_MESSAGE(r.status == 200, target << " -> " << r.body);
    t.alpha_only(r);
  }
  t.check_totals("Patient/_history", 2, 4);  // beta: p1 twice, p2, p3
  // Alpha: org1, p1, p2, o1, dangling, abs; beta: org1, p1 twice, p2, o1, p3, o2, o3, borg.
  t.check_totals("_history", 6, 9);
}

TEST_CASE("tenants: searches, includes, chains, _has and _content never cross tenants") {
  ServerProcess server(url_tenancy());
  Tenants t(server);

  auto shared = search(t.a, "Patient?family=Shared");
  CHECK(match_keys(shared) == std::vector<std::string>{"Patient/p1", "Patient/p2"});
  t.check_totals("Patient?identifier=urn:mrn|999", 0, 1);
  t.check_totals("Patient?identifier=urn:mrn|123", 1, 1);
  t.check_totals("Patient?given=Betaonly", 0, 2);  // beta: p1, p3
  t.check_totals("Organization?name=BetaOrg", 0, 1);

  // _revinclude: beta's o2 names p1 too.
  HttpResponse rev = t.a.get("Patient?_id=p1&_revinclude=Observation:subject");
  REQUIRE(rev.status == 200);
  t.alpha_only(rev);
  CHECK(has(rev, "\"id\":\"o1\""));
  CHECK_FALSE(has(rev, "\"id\":\"o2\""));
  HttpResponse rev_b = t.b.get("Patient?_id=p1&_revinclude=Observation:subject");
  CHECK(has(rev_b, "\"id\":\"o2\""));

  // _include: alpha's dangling names Patient/p3, which only beta has; abs names beta's by URL.
  for (const std::string id : {"dangling", "abs"}) {
    HttpResponse inc = t.a.get("Observation?_id=" + id + "&_include=Observation:subject");
    REQUIRE(inc.status == 200);
    t.alpha_only(inc);
    CHECK_FALSE(has(inc, "\"id\":\"p3\""));
  }
  HttpResponse inc_org = t.a.get("Patient?_id=p1&_include=Patient:organization");
  CHECK(has(inc_org, "\"id\":\"org1\""));
  t.alpha_only(inc_org);
  HttpResponse wild = t.a.get("Observation?_include=*&_revinclude=*&_count=50");
  REQUIRE(wild.status == 200);
  t.alpha_only(wild);

  // Chains: beta's p3 is "Hidden"; in alpha no patient is.
  t.check_totals("Observation?subject:Patient.family=Hidden", 0, 1);
  t.check_totals("Observation?subject:Patient.given=Betaonly", 0, 3);  // beta: o1, o2, o3
  t.check_totals("Observation?subject:Patient.given=Alphaonly", 1, 0);

  // _has: only beta has an Observation 9999-9 of p1.
  t.check_totals("Patient?_has:Observation:subject:code=9999-9", 0, 1);
  t.check_totals("Patient?_has:Observation:subject:code=1234-5", 1, 2);  // beta: p1, p3

  // _content: the full-text rows are the tenant's.
  t.check_totals("Patient?_content=Betaonly", 0, 2);
  t.check_totals("Patient?_content=Alphaonly", 1, 0);

  // A system search over every type.
  HttpResponse all = t.a.get("?_type=Patient,Observation,Organization&_count=50");
  REQUIRE(all.status == 200);
  t.alpha_only(all);
  CHECK(total(json(all)) == 6);
}

TEST_CASE("tenants: conditional writes and transaction GET entries match within the tenant") {
  ServerProcess server(url_tenancy());
  Tenants t(server);

  // Conditional create: beta's MRN 999 matches nothing in alpha, so alpha creates.
  HttpResponse created = t.a.post(
      "Patient",
      R"({"resourceType":"Patient",)" + tag(t.alpha) +
          R"(,"identifier":[{"system":"urn:mrn","value":"999"}]})",
      {{"If-None-Exist", "identifier=urn:mrn|999"}, {"Content-Type", "application/fhir+json"}});
  CHECK_MESSAGE(created.status == 201, created.body);
  // Conditional update: BetaOrg is beta's; alpha creates its own, beta's stays version 1.
  HttpResponse updated =
      t.a.put("Organization?name=BetaOrg",
              R"({"resourceType":"Organization",)" + tag(t.alpha) + R"(,"name":"BetaOrg"})");
  CHECK_MESSAGE(updated.status == 201, updated.body);
  HttpResponse borg = t.b.get("Organization/borg");
  CHECK(json(borg)["meta"]["versionId"].GetString() == std::string("1"));
  t.check_totals("Patient?identifier=urn:mrn|999", 1, 1);  // alpha's own, beta's p3

  const std::string bundle = R"({"resourceType":"Bundle","type":"batch","entry":[
    {"request":{"method":"GET","url":"Patient/p3"}},
    {"request":{"method":"GET","url":"Patient?family=Hidden"}},
    {"request":{"method":"GET","url":"Patient/p1/_history/2"}},
    {"request":{"method":"GET","url":"Patient/p1"}},
    {"request":{"method":"GET","url":"Patient?_id=p1&_revinclude=Observation:subject"}}]})";
  for (const std::string type : {"batch", "transaction"}) {
    std::string body = bundle;
    body.replace(body.find("batch"), 5, type);
    HttpResponse r = t.a.post("", body);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    t.alpha_only(r);
    auto doc = json(r);
    const auto& entries = doc["entry"].GetArray();
    REQUIRE(entries.Size() == 5);
    CHECK(std::string(entries[0]["response"]["status"].GetString()).starts_with("404"));
    CHECK(hearth::fhir::json_number_text(entries[1]["resource"]["total"]) == "0");
    CHECK(std::string(entries[2]["response"]["status"].GetString()).starts_with("404"));
    CHECK(std::string(entries[3]["response"]["status"].GetString()).starts_with("200"));
    CHECK(has(r, marker(t.alpha)));
  }
}

TEST_CASE("tenants: every URL the server writes names the tenant; paths without one are refused") {
  ServerProcess server(url_tenancy());
  Tenants t(server);
  const std::string base_a = t.origin + "/fhir/" + t.alpha;

  HttpResponse created =
      t.a.post("Patient", R"({"resourceType":"Patient","name":[{"family":"Loc"}]})");
  REQUIRE(created.status == 201);
  CHECK(created.header("Location").starts_with(base_a + "/Patient/"));
  HttpResponse read = t.a.get(created.header("Location"));
  CHECK(read.status == 200);
  CHECK(t.b.get(created.header("Location").substr(base_a.size() + 1)).status == 404);

  auto page = search(t.a, "Patient?family=Shared&_count=1");
  CHECK(link(page, "self").starts_with(base_a + "/Patient?"));
  const std::string next = link(page, "next");
  CHECK(next.starts_with(base_a + "/Patient?"));
  CHECK(std::string(page["entry"][0]["fullUrl"].GetString()).starts_with(base_a + "/Patient/"));
  HttpResponse second = t.a.get(next);
  REQUIRE(second.status == 200);
  t.alpha_only(second);
  CHECK(match_keys(json(second)) == std::vector<std::string>{"Patient/p2"});
  // A paging link of one tenant followed in another finds none of its rows.
  HttpResponse crossed =
      t.b.get("/fhir/" + t.beta + next.substr((t.origin + "/fhir/" + t.alpha).size()));
  if (crossed.status == 200) CHECK(!has(crossed, marker(t.alpha)));

  HttpResponse history = t.a.get("Patient/p1/_history");
  CHECK(has(history, "\"fullUrl\":\"" + base_a + "/Patient/p1"));

  HttpResponse metadata = t.a.get("metadata");
  REQUIRE(metadata.status == 200);
  CHECK(has(metadata, "\"url\":\"" + base_a + "\""));

  HttpClient root("127.0.0.1", server.port(), "");
  for (const std::string target : {"/fhir/Patient/p1", "/fhir/metadata", "/fhir", "/fhir/",
                                   "/fhir/$export", "/fhir/_history", "/hl7", "/x12"}) {
    HttpResponse r = root.get(target);
    CHECK_MESSAGE(r.status == 404, target << " -> " << r.status);
    CHECK_MESSAGE(has(r, "no tenant in the path"), target << " -> " << r.body);
    CHECK(has(r, "OperationOutcome"));
  }
  HttpResponse bad = root.get("/fhir/bad%20name/Patient");
  CHECK(bad.status == 400);
  CHECK(has(bad, "malformed tenant"));
  HttpResponse too_long = root.get("/fhir/" + std::string(65, 'x') + "/Patient");
  CHECK(too_long.status == 400);
}

TEST_CASE("tenants: $export runs in its tenant; its URLs name it; another tenant cannot see it") {
  ServerProcess server(url_tenancy());
  Tenants t(server);
  const std::string base_a = t.origin + "/fhir/" + t.alpha;
  const Headers async = {{"Prefer", "respond-async"}, {"Accept", "application/fhir+json"}};

  HttpResponse kick = t.a.get("$export?_type=Patient,Observation,Organization", async);
  REQUIRE_MESSAGE(kick.status == 202, kick.body);
  const std::string status_url = kick.header("Content-Location");
  CHECK(status_url.starts_with(base_a + "/$export-status/"));
  const std::string job = status_url.substr(status_url.rfind('/') + 1);
  CHECK(t.b.get("$export-status/" + job).status == 404);
  CHECK(t.b.del("$export-status/" + job).status == 404);

  HttpResponse done;
  for (int i = 0; i < 600; ++i) {
    done = t.a.get(status_url);
    if (done.status != 202) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE_MESSAGE(done.status == 200, done.body);
  auto manifest = json(done);
  CHECK(std::string(manifest["request"].GetString()).starts_with(base_a + "/$export?"));
  int lines = 0;
  for (const auto& file : manifest["output"].GetArray()) {
    const std::string url = file["url"].GetString();
    CHECK(url.starts_with(base_a + "/$export-file/" + job + "/"));
    CHECK(t.b.get("$export-file/" + job + url.substr(url.rfind('/'))).status == 404);
    HttpResponse data = t.a.get(url, {{"Accept", "application/fhir+ndjson"}});
    REQUIRE(data.status == 200);
    t.alpha_only(data);
    std::istringstream in(data.body);
    for (std::string line; std::getline(in, line);) {
      CHECK(line.find(marker(t.alpha)) != std::string::npos);
      ++lines;
    }
  }
  CHECK(lines == 6);  // org1, p1, p2, o1, dangling, abs
}

TEST_CASE("tenants: each AuditEvent is stored in the tenant of its request") {
  ServerProcess server(url_tenancy({"--audit", "on"}));
  Tenants t(server);
  REQUIRE(t.a.get("Patient/p1").status == 200);
  REQUIRE(t.b.get("Patient/p3").status == 200);
  // The writer stores events off the request path: wait for beta's read of p3.
  bool seen = false;
  for (int i = 0; i < 250 && !seen; ++i) {
    seen = total(search(t.b, "AuditEvent?entity=Patient/p3")) > 0;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(seen);
  CHECK(total(search(t.a, "AuditEvent?entity=Patient/p3")) == 0);
  HttpResponse events = t.a.get("AuditEvent?_count=200");
  REQUIRE(events.status == 200);
  CHECK(has(events, "\"site\":\"" + t.alpha + "\""));
  CHECK_FALSE(has(events, "\"site\":\"" + t.beta + "\""));
}
