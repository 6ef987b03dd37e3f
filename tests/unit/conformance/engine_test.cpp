// The TestScript walk against a scripted server: operations become the right requests,
// variables and ${} substitution, fixtures (contained, files, autocreate/autodelete), setup /
// test / teardown flow, failure reporting and unsupported elements.
#include "conformance/engine.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fake_transport.h"

namespace hearth::conformance {
namespace {

using testing::FakeTransport;
using testing::json_response;

// A tiny FHIR server: POST Type -> 201 id "new1" with Location; PUT -> 200 echo; GET -> 200 with
// a Patient; DELETE -> 204; everything else 200 with an OperationOutcome.
FakeTransport tiny_server() {
  return FakeTransport([](const HttpRequest& r) -> Result<HttpResponse> {
    if (r.method == "POST" && r.url.ends_with("/Patient")) {
      return json_response(
          201, R"({"resourceType":"Patient","id":"new1","meta":{"versionId":"1"}})",
          {{"Location", "http://fhir.test/base/Patient/new1/_history/1"}, {"ETag", "W/\"1\""}});
    }
    if (r.method == "PUT") return json_response(200, r.body);
    if (r.method == "DELETE") return HttpResponse{.status = 204, .headers = {}, .body = ""};
    if (r.method == "GET" && r.url.find("/Patient/") != std::string::npos) {
      return json_response(
          200,
          R"({"resourceType":"Patient","id":"new1","meta":{"versionId":"1"},"name":[{"family":"Doe"}]})",
          {{"ETag", "W/\"1\""}});
    }
    return json_response(
        200,
        R"({"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]})");
  });
}

std::string script(const std::string& body) {
  return R"({"resourceType":"TestScript","id":"s","name":"S","status":"active",
    "contained":[{"resourceType":"Patient","id":"pat","name":[{"family":"${family}"}]}],
    "fixture":[{"id":"pat","autocreate":false,"autodelete":false,"resource":{"reference":"#pat"}}],
    "variable":[{"name":"family","defaultValue":"Doe"}],)" +
         body + "}";
}

std::string op(const std::string& fields) {
  return R"({"operation":{)" + fields + "}}";
}

TEST_CASE("operations become the REST requests of http.html") {
  FakeTransport server = tiny_server();
  ScriptResult r = testing::run_script(
      server,
      script(
          R"("test":[{"name":"ops","action":[)" +
          op(R"("type":{"code":"create"},"sourceId":"pat","responseId":"created")") + "," +
          op(R"("type":{"code":"read"},"targetId":"pat")") + "," +
          op(R"("type":{"code":"vread"},"targetId":"pat")") + "," +
          op(R"("type":{"code":"update"},"targetId":"pat","sourceId":"pat")") + "," +
          op(R"("type":{"code":"updateCreate"},"resource":"Patient","params":"/client-id","sourceId":"pat")") +
          "," + op(R"("type":{"code":"history"},"targetId":"pat")") + "," +
          op(R"("type":{"code":"history"},"resource":"Patient")") + "," +
          op(R"("type":{"code":"history"})") + "," +
          op(R"("type":{"code":"search"},"resource":"Patient","params":"?family=${family}")") +
          "," + op(R"("type":{"code":"capabilities"})") + "," +
          op(R"("type":{"code":"transaction"},"sourceId":"pat")") + "," +
          op(R"("type":{"code":"batch"},"sourceId":"pat")") + "," +
          op(R"("type":{"code":"expand"},"resource":"ValueSet","params":"/$expand?url=x")") + "," +
          op(R"("type":{"code":"everything"},"url":"Patient/new1/$everything")") + "," +
          op(R"("type":{"code":"validate"},"resource":"Patient","sourceId":"pat")") + "," +
          op(R"("type":{"code":"deleteCondMultiple"},"resource":"Patient","params":"?family=Doe")") +
          "," + op(R"("type":{"code":"delete"},"targetId":"pat")") + R"(]}])"));
  REQUIRE_MESSAGE(r.load_error.empty(), r.load_error);
  REQUIRE(r.tests.size() == 1);
  for (const auto& a : r.tests[0].actions)
    CHECK_MESSAGE(a.outcome == Outcome::kPass, (a.label + ": " + a.message));
  const std::string b = testing::kBase;
  std::vector<std::string> want = {
      "POST " + b + "/Patient", "GET " + b + "/Patient/new1",
      "GET " + b + "/Patient/new1/_history/1", "PUT " + b + "/Patient/new1",
      "PUT " + b + "/Patient/client-id",
      // From here the fixture stands for the resource the updateCreate made.
      "GET " + b + "/Patient/client-id/_history", "GET " + b + "/Patient/_history",
      "GET " + b + "/_history", "GET " + b + "/Patient?family=Doe", "GET " + b + "/metadata",
      "POST " + b, "POST " + b, "GET " + b + "/ValueSet/$expand?url=x",
      "GET " + b + "/Patient/new1/$everything", "POST " + b + "/Patient/$validate",
      "DELETE " + b + "/Patient?family=Doe", "DELETE " + b + "/Patient/client-id"};
  REQUIRE(server.requests.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(server.requests[i].method + " " + server.requests[i].url == want[i]);
  }
  // The body is the fixture after ${} substitution; an update carries the URL's id.
  CHECK(server.requests[0].body.find(R"("family":"Doe")") != std::string::npos);
  CHECK(server.requests[3].body.find(R"("id":"new1")") != std::string::npos);
  CHECK(server.requests[4].body.find(R"("id":"client-id")") != std::string::npos);
  CHECK(*find_header(server.requests[0].headers, "Content-Type") ==
        "application/fhir+json; charset=utf-8");
  CHECK(*find_header(server.requests[1].headers, "Accept") == "application/fhir+json");
}

TEST_CASE("accept/contentType xml, requestHeader and the bearer token") {
  FakeTransport server = tiny_server();
  auto doc = fhir::parse_json(
      script(R"("test":[{"name":"xml","action":[)" +
             op(R"("type":{"code":"create"},"sourceId":"pat","accept":"xml","contentType":"xml",
            "requestHeader":[{"field":"X-Family","value":"${family}"},{"field":"accept","value":"application/fhir+json"}])") +
             "]}]"));
  REQUIRE(doc);
  EngineOptions options;
  options.base_url = std::string(testing::kBase) + "/";
  options.token = "secret";
  Engine engine(server, options);
  ScriptResult r = engine.run(*doc, ".", "x.json");
  REQUIRE(server.requests.size() == 1);
  const HttpRequest& req = server.requests[0];
  CHECK(req.url == std::string(testing::kBase) + "/Patient");
  CAPTURE(req.body);
  CHECK(req.body.find("<Patient xmlns=\"http://hl7.org/fhir\"") != std::string::npos);
  CHECK(req.body.find(R"(<family value="Doe"/>)") != std::string::npos);
  CHECK(*find_header(req.headers, "Content-Type") == "application/fhir+xml; charset=utf-8");
  CHECK(*find_header(req.headers, "Accept") == "application/fhir+json");  // requestHeader wins
  CHECK(*find_header(req.headers, "X-Family") == "Doe");
  CHECK(*find_header(req.headers, "Authorization") == "Bearer secret");
}

TEST_CASE("variables: expression, headerField, defaultValue, --var, hint") {
  std::string body =
      R"("variable":[
      {"name":"id","expression":"Patient.id","sourceId":"created"},
      {"name":"etag","headerField":"ETag","sourceId":"created"},
      {"name":"lastId","expression":"Patient.id"},
      {"name":"fallback","expression":"Patient.deceased","sourceId":"created","defaultValue":"none"},
      {"name":"family","defaultValue":"Doe"},
      {"name":"needed","hint":"an MRN of your server","description":"no value"}],
    "test":[{"name":"vars","action":[)" +
      op(R"("type":{"code":"create"},"sourceId":"pat","responseId":"created")") + "," +
      op(R"("type":{"code":"read"},"resource":"Patient","params":"/${id}?etag=${etag}&last=${lastId}&f=${fallback}&x=${over}")") +
      R"(]},{"name":"hint","action":[)" +
      op(R"("type":{"code":"read"},"resource":"Patient","params":"/${needed}")") + "]}]";
  std::string text = script("").substr(0, script("").find(R"("variable")")) + body + "}";
  FakeTransport server = tiny_server();
  auto doc = fhir::parse_json(text);
  REQUIRE_MESSAGE(doc, doc.status().message());
  doc->AddMember("variable", fhir::JsonValue(rapidjson::kArrayType), doc->GetAllocator());
  ScriptResult r = testing::run_script(server, text, {{"over", "ride"}});
  REQUIRE_MESSAGE(r.load_error.empty(), r.load_error);
  REQUIRE(server.requests.size() == 2);
  CHECK(server.requests[1].url ==
        std::string(testing::kBase) + "/Patient/new1?etag=W/\"1\"&last=new1&f=none&x=ride");
  REQUIRE(r.tests.size() == 2);
  const ActionResult& unresolved = r.tests[1].actions[0];
  CHECK(unresolved.outcome == Outcome::kError);
  CHECK(unresolved.message.find("an MRN of your server") != std::string::npos);
  CHECK(unresolved.message.find("--var needed=VALUE") != std::string::npos);
  // --var fills it.
  FakeTransport again = tiny_server();
  ScriptResult r2 = testing::run_script(again, text, {{"over", "x"}, {"needed", "mrn-7"}});
  CHECK(again.requests.back().url == std::string(testing::kBase) + "/Patient/mrn-7");
  CHECK(r2.tests[1].actions[0].outcome == Outcome::kPass);
}

TEST_CASE("a variable with an unsupported path or an unknown name is reported") {
  FakeTransport server = tiny_server();
  std::string text = R"({"resourceType":"TestScript","name":"V","status":"active",
    "variable":[{"name":"p","path":"$.entry[0].resource.id"}],
    "test":[{"name":"t","action":[)" +
                     op(R"("type":{"code":"read"},"resource":"Patient","params":"/${p}")") + "," +
                     op(R"("type":{"code":"read"},"resource":"Patient","params":"/${nobody}")") +
                     "]}]}";
  ScriptResult r = testing::run_script(server, text);
  REQUIRE(r.tests.size() == 1);
  CHECK(r.tests[0].actions[0].outcome == Outcome::kSkip);
  CHECK(r.tests[0].actions[0].message.find("XPath subset") != std::string::npos);
  CHECK(r.tests[0].actions[1].outcome == Outcome::kSkip);  // after an operation that did not run
  CHECK(server.requests.empty());
}

TEST_CASE("fixtures: files relative to the script, XML, autocreate and autodelete") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "hearth-conformance-fixtures";
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / "patient.xml")
      << R"(<Patient xmlns="http://hl7.org/fhir"><id value="x"/><name><family value="Xml"/></name></Patient>)";
  std::ofstream(dir / "Patient-example.json")
      << R"({"resourceType":"Patient","id":"example","active":true})";
  std::string text =
      R"({"resourceType":"TestScript","name":"F","status":"active",
    "fixture":[{"id":"a","autocreate":true,"autodelete":true,"resource":{"reference":"sub/patient.xml"}},
               {"id":"b","autocreate":false,"autodelete":false,"resource":{"reference":"Patient/example"}}],
    "test":[{"name":"t","action":[)" +
      op(R"("type":{"code":"read"},"targetId":"a")") + "," +
      R"({"assert":{"sourceId":"b","expression":"Patient.active","value":"true"}}]}]})";
  FakeTransport server = tiny_server();
  ScriptResult r = testing::run_script(server, text, {}, dir.string());
  REQUIRE_MESSAGE(r.load_error.empty(), r.load_error);
  REQUIRE(server.requests.size() == 3);
  CHECK(server.requests[0].method == "POST");
  CHECK(server.requests[0].body.find(R"("family":"Xml")") != std::string::npos);
  CHECK(server.requests[1].url == std::string(testing::kBase) + "/Patient/new1");
  CHECK(server.requests[2].method == "DELETE");
  CHECK(server.requests[2].url == std::string(testing::kBase) + "/Patient/new1");
  CHECK(r.setup.actions.at(0).label == "autocreate a");
  CHECK(r.teardown.actions.at(0).label == "autodelete a");
  CHECK(r.outcome() == Outcome::kPass);

  ScriptResult missing =
      testing::run_script(server, R"({"resourceType":"TestScript","name":"M","status":"active",
    "fixture":[{"id":"m","resource":{"reference":"nope.json"}}],"test":[{"name":"t","action":[]}]})",
                          {}, dir.string());
  CHECK(missing.load_error.find("nope.json") != std::string::npos);
  CHECK(missing.outcome() == Outcome::kFail);
  fs::remove_all(dir);
}

TEST_CASE("a failing autocreate fails the setup and skips every test; teardown still runs") {
  FakeTransport server([](const HttpRequest& r) -> Result<HttpResponse> {
    if (r.method == "POST")
      return json_response(422, R"({"resourceType":"OperationOutcome","issue":[]})");
    return json_response(200, "{}");
  });
  std::string text = R"({"resourceType":"TestScript","name":"A","status":"active",
    "contained":[{"resourceType":"Patient","id":"p"}],
    "fixture":[{"id":"p","autocreate":true,"autodelete":true,"resource":{"reference":"#p"}}],
    "test":[{"name":"t1","action":[{"operation":{"type":{"code":"capabilities"}}}]},{"name":"t2","action":[]}],
    "teardown":{"action":[{"operation":{"type":{"code":"capabilities"}}}]}})";
  ScriptResult r = testing::run_script(server, text);
  CHECK(r.setup.outcome() == Outcome::kFail);
  CHECK(r.setup.actions[0].message.find("422") != std::string::npos);
  REQUIRE(r.tests.size() == 2);
  CHECK(r.tests[0].outcome() == Outcome::kSkip);
  CHECK(r.tests[1].actions[0].message == "setup failed");
  CHECK(r.teardown.actions.size() == 2);  // the teardown operation + autodelete skipped
  CHECK(r.teardown.actions[1].outcome == Outcome::kSkip);
  CHECK(server.requests.size() == 2);  // the POST and the teardown GET
  CHECK(r.outcome() == Outcome::kFail);
}

TEST_CASE(
    "a failing assert keeps its request and a response excerpt; a transport error stops the test") {
  int calls = 0;
  FakeTransport server([&calls](const HttpRequest&) -> Result<HttpResponse> {
    if (++calls == 2)
      return Status(Code::kUnavailable, "cannot connect to fhir.test:80: Connection refused");
    return json_response(
        404,
        R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]})");
  });
  std::string text =
      R"({"resourceType":"TestScript","name":"R","status":"active","test":[{"name":"t","action":[)" +
      op(R"("type":{"code":"read"},"resource":"Patient","params":"/1")") +
      R"(,{"assert":{"label":"is-200","response":"okay"}},)" +
      op(R"("type":{"code":"read"},"resource":"Patient","params":"/2")") +
      R"(,{"assert":{"response":"okay"}}]}]})";
  ScriptResult r = testing::run_script(server, text);
  REQUIRE(r.tests.size() == 1);
  const auto& actions = r.tests[0].actions;
  REQUIRE(actions.size() == 4);
  CHECK(actions[1].outcome == Outcome::kFail);
  CHECK(actions[1].label == "is-200");
  CHECK(actions[1].request == "GET " + std::string(testing::kBase) + "/Patient/1");
  CHECK(actions[1].status == 404);
  CHECK(actions[1].response_excerpt.find("not-found") != std::string::npos);
  CHECK(actions[2].outcome == Outcome::kError);
  CHECK(actions[2].message.find("Connection refused") != std::string::npos);
  CHECK(actions[3].outcome == Outcome::kSkip);
  CHECK(r.tests[0].outcome() == Outcome::kFail);
  CHECK(r.outcome() == Outcome::kFail);
}

TEST_CASE("unsupported operations and elements are reported, never ignored") {
  FakeTransport server = tiny_server();
  std::string text = R"({"resourceType":"TestScript","name":"U","status":"active","fancy":1,
    "metadata":{"capability":[{"required":true,"validated":false,"capabilities":"x"}]},
    "test":[{"name":"op","action":[)" +
                     op(R"("type":{"code":"closure"})") + R"(,{"assert":{"response":"okay"}}]},
            {"name":"el","action":[)" +
                     op(R"("type":{"code":"read"},"resource":"Patient","params":"/1","frob":1)") +
                     R"(]},
            {"name":"action","action":[{"operation":{"type":{"code":"capabilities"}},"assert":{"response":"okay"}}]}]})";
  ScriptResult r = testing::run_script(server, text);
  REQUIRE(r.tests.size() == 3);
  CHECK(r.tests[0].actions[0].outcome == Outcome::kSkip);
  CHECK(r.tests[0].actions[0].message.find("closure") != std::string::npos);
  CHECK(r.tests[0].actions[1].outcome == Outcome::kSkip);
  CHECK(r.tests[1].actions[0].outcome == Outcome::kSkip);
  CHECK(r.tests[1].actions[0].message.find("frob") != std::string::npos);
  CHECK(r.tests[2].actions[0].outcome == Outcome::kError);
  CHECK(server.requests.empty());
  bool fancy = false;
  bool metadata = false;
  for (const auto& n : r.notes) {
    fancy = fancy || n.find("fancy") != std::string::npos;
    metadata = metadata || n.find("metadata") != std::string::npos;
  }
  CHECK(fancy);
  CHECK(metadata);

  ScriptResult modifier = testing::run_script(
      server,
      R"({"resourceType":"TestScript","modifierExtension":[{"url":"x","valueBoolean":true}]})");
  CHECK(!modifier.load_error.empty());
  ScriptResult other = testing::run_script(server, R"({"resourceType":"Patient"})");
  CHECK(other.load_error.find("not a TestScript") != std::string::npos);
}

TEST_CASE("a TestScript written in XML runs like its JSON form") {
  namespace fs = std::filesystem;
  fs::path file = fs::temp_directory_path() / "hearth-conformance-script.xml";
  std::ofstream(file) << R"(<TestScript xmlns="http://hl7.org/fhir">
  <name value="XmlScript"/><status value="active"/>
  <test><name value="metadata"/>
    <action><operation><type><code value="capabilities"/></type></operation></action>
    <action><assert><response value="okay"/></assert></action>
  </test>
</TestScript>)";
  FakeTransport server = tiny_server();
  EngineOptions options;
  options.base_url = testing::kBase;
  Engine engine(server, options);
  ScriptResult r = engine.run_file(file.string());
  fs::remove(file);
  REQUIRE_MESSAGE(r.load_error.empty(), r.load_error);
  CHECK(r.name == "XmlScript");
  REQUIRE(r.tests.size() == 1);
  CHECK(r.tests[0].outcome() == Outcome::kPass);
  CHECK(server.requests.at(0).url == std::string(testing::kBase) + "/metadata");
}

}  // namespace
}  // namespace hearth::conformance

namespace hearth::conformance {
namespace {

TEST_CASE("an HTTP server that is not FHIR fails the asserts with a readable reason") {
  FakeTransport server([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{.status = 200,
                        .headers = {{"Content-Type", "text/html"}},
                        .body = "<html><body>It works!</body></html>"};
  });
  std::string text =
      R"({"resourceType":"TestScript","name":"H","status":"active","test":[{"name":"t","action":[
    {"operation":{"type":{"code":"capabilities"}}},
    {"assert":{"resource":"CapabilityStatement"}},
    {"assert":{"expression":"CapabilityStatement.fhirVersion","value":"4.0.1"}},
    {"assert":{"contentType":"json"}}]}]})";
  ScriptResult r = testing::run_script(server, text);
  REQUIRE(r.tests.size() == 1);
  const auto& actions = r.tests[0].actions;
  CHECK(actions[1].outcome == Outcome::kFail);
  CHECK(actions[2].outcome == Outcome::kFail);
  CHECK(actions[2].message.find("body not parsed") != std::string::npos);
  CHECK(actions[3].outcome == Outcome::kFail);
  CHECK(actions[3].message.find("text/html") != std::string::npos);
  CHECK(r.outcome() == Outcome::kFail);
}

}  // namespace
}  // namespace hearth::conformance

namespace hearth::conformance {
namespace {

TEST_CASE("an operation url is absolute, server-root-relative ('/...') or base-relative") {
  FakeTransport server = tiny_server();
  ScriptResult r = testing::run_script(
      server, script(R"("test":[{"name":"urls","action":[)" +
                     op(R"("type":{"code":"read"},"url":"/hl7/messages/7")") + "," +
                     op(R"("type":{"code":"read"},"url":"Patient/new1")") + "," +
                     op(R"("url":"/hl7/messages/7/$replay","method":"post")") + "," +
                     op(R"("url":"http://other.test/x")") + "]}]"));
  REQUIRE(server.requests.size() == 4);
  CHECK(server.requests[0].url == "http://fhir.test/hl7/messages/7");
  CHECK(server.requests[1].url == "http://fhir.test/base/Patient/new1");
  CHECK(server.requests[2].method == "POST");
  CHECK(server.requests[2].url == "http://fhir.test/hl7/messages/7/$replay");
  CHECK(server.requests[3].url == "http://other.test/x");
  CHECK(r.tests[0].outcome() == Outcome::kPass);
}

}  // namespace
}  // namespace hearth::conformance

namespace hearth::conformance {
namespace {

TEST_CASE("a fixture file that is not .json or .xml is a raw body, sent as written") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "hearth-conformance-raw";
  fs::create_directories(dir);
  std::ofstream(dir / "broken.txt") << R"({"resourceType":"Patient",)";
  FakeTransport server = tiny_server();
  ScriptResult r = testing::run_script(
      server,
      R"({"resourceType":"TestScript","name":"R","status":"active",
    "fixture":[{"id":"raw","resource":{"reference":"broken.txt"}}],
    "test":[{"name":"t","action":[)" +
          op(R"("type":{"code":"create"},"resource":"Patient","sourceId":"raw")") + "]}]}",
      {}, dir.string());
  REQUIRE_MESSAGE(r.load_error.empty(), r.load_error);
  REQUIRE(server.requests.size() == 1);
  CHECK(server.requests[0].body == R"({"resourceType":"Patient",)");
  ScriptResult missing =
      testing::run_script(server, R"({"resourceType":"TestScript","name":"M","status":"active",
    "fixture":[{"id":"m","resource":{"reference":"nope.txt"}}],"test":[{"name":"t","action":[]}]})",
                          {}, dir.string());
  CHECK(missing.load_error.find("nope.txt") != std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hearth::conformance

namespace hearth::conformance {
namespace {

TEST_CASE("fixtures are read only below the script's folder unless --allow-fixture-path") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / "hearth-conformance-confined";
  const fs::path dir = root / "scripts";
  const fs::path outside = root / "secrets";
  fs::create_directories(dir / "sub");
  fs::create_directories(outside);
  std::ofstream(dir / "sub" / "inside.txt") << "inside";
  std::ofstream(outside / "secret.txt") << "secret";
  std::ofstream(outside / "patient.json") << R"({"resourceType":"Patient","id":"s"})";
  auto script = [](const std::string& reference) {
    return R"({"resourceType":"TestScript","name":"C","status":"active",
      "fixture":[{"id":"f","resource":{"reference":")" +
           reference + R"("}}],
      "test":[{"name":"t","action":[]}]})";
  };
  FakeTransport server = tiny_server();
  CHECK(testing::run_script(server, script("sub/inside.txt"), {}, dir.string()).load_error.empty());
  CHECK(testing::run_script(server, script("sub/../sub/inside.txt"), {}, dir.string())
            .load_error.empty());
  for (const std::string& reference :
       {std::string("../secrets/secret.txt"), std::string("../secrets/patient.json"),
        (outside / "secret.txt").string(), std::string("sub/../../secrets/secret.txt"),
        std::string("/etc/passwd")}) {
    CAPTURE(reference);
    ScriptResult r = testing::run_script(server, script(reference), {}, dir.string());
    CHECK(r.load_error.find("outside the script's folder") != std::string::npos);
    CHECK(r.load_error.find("--allow-fixture-path") != std::string::npos);
    CHECK(r.outcome() == Outcome::kFail);
  }
  ScriptResult allowed = testing::run_script(server, script("../secrets/patient.json"), {},
                                             dir.string(), {outside.string()});
  CHECK_MESSAGE(allowed.load_error.empty(), allowed.load_error);
  CHECK(server.requests.empty());  // nothing was sent for any of them
  fs::remove_all(root);
}

}  // namespace
}  // namespace hearth::conformance
