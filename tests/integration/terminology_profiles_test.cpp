// Stored terminology and profiles over real HTTP against the real binary, on whichever store the
// run uses ($HEARTH_TEST_STORE: SQLite, or PostgreSQL in the full run): a CodeSystem and a
// ValueSet stored and expanded by url and at ValueSet/[id]/$expand, the expansion following an
// update of the code system; and, under --enforce-profiles, a stored profile refusing a PATCH
// and a transaction entry that break it (its own invariant included).
#include <doctest/doctest.h>

#include <atomic>
#include <string>

#include "harness.h"

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;

namespace {

// A per-run tag: the database may be shared with other integration tests and runs.
std::string tag() {
  static const std::string t = hearth::testing::unique_name("t");
  return t;
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("stored CodeSystem and ValueSet: $expand by url and by id follows updates") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string cs_url = "http://example.org/CodeSystem/" + tag();
  const std::string vs_url = "http://example.org/ValueSet/" + tag();
  const std::string cs = R"({"resourceType":"CodeSystem","id":"cs-)" + tag() + R"(","url":")" +
                         cs_url + R"(","status":"active","content":"complete","concept":[
    {"code":"root","concept":[{"code":"a","display":"Alpha"},{"code":"b"}]},{"code":"other"}]})";
  REQUIRE(client.put("CodeSystem/cs-" + tag(), cs).status == 201);
  const std::string vs =
      R"({"resourceType":"ValueSet","id":"vs-)" + tag() + R"(","url":")" + vs_url +
      R"(","status":"active","compose":{"include":[{"system":")" + cs_url +
      R"(","filter":[{"property":"concept","op":"descendent-of","value":"root"}]}]}})";
  REQUIRE(client.put("ValueSet/vs-" + tag(), vs).status == 201);

  HttpResponse r = client.get("ValueSet/$expand?url=" + vs_url);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find(R"("total":2)") != std::string::npos);
  CHECK(r.body.find(R"("display":"Alpha")") != std::string::npos);
  r = client.get("ValueSet/vs-" + tag() + "/$expand?filter=b");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find(R"("total":1)") != std::string::npos);

  REQUIRE(client
              .put("CodeSystem/cs-" + tag(),
                   replace(cs, R"({"code":"b"})", R"({"code":"b"},{"code":"c"})"))
              .status == 200);
  r = client.get("ValueSet/$expand?url=" + vs_url);
  CHECK(r.body.find(R"("total":3)") != std::string::npos);
  r = client.get("CodeSystem/$lookup?system=" + cs_url + "&code=c");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("valueCode":"root")") != std::string::npos);
}

TEST_CASE(
    "--enforce-profiles refuses a PATCH and a transaction entry that break a stored profile") {
  ServerOptions options;
  options.args = {"--enforce-profiles"};
  ServerProcess server(options);
  HttpClient client = server.client();
  const std::string url = "http://example.org/StructureDefinition/" + tag();
  REQUIRE(client
              .put("StructureDefinition/sd-" + tag(), R"({"resourceType":"StructureDefinition",
    "id":"sd-)" + tag() + R"(","url":")" + url + R"json(","name":"Gendered","status":"active",
    "kind":"resource","abstract":false,"type":"Patient","derivation":"constraint",
    "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient",
    "differential":{"element":[{"id":"Patient.gender","path":"Patient.gender","min":1},
    {"id":"Patient.name","path":"Patient.name","constraint":[{"key":"it-1","severity":"error",
    "human":"a family name","expression":"family.exists()"}]}]}})json")
              .status == 201);
  const std::string claims = R"("meta":{"profile":[")" + url + R"("]})";
  const std::string id = "p-" + tag();
  REQUIRE(client
              .put("Patient/" + id, R"({"resourceType":"Patient","id":")" + id +
                                        R"(","gender":"male",)" + claims + "}")
              .status == 201);
  HttpResponse r = client.request("PATCH", "Patient/" + id, R"([{"op":"remove","path":"/gender"}])",
                                  {{"Content-Type", "application/json-patch+json"}});
  CHECK(r.status == 422);
  r = client.post("", R"({"resourceType":"Bundle","type":"transaction","entry":[{"resource":
    {"resourceType":"Patient","gender":"male","name":[{"given":["J"]}],)" +
                          claims + R"(},"request":{"method":"POST","url":"Patient"}}]})");
  CHECK(r.status == 422);
  CHECK(r.body.find("it-1") != std::string::npos);
  CHECK(r.body.find("Bundle.entry[0].resource.name[0]") != std::string::npos);
}
