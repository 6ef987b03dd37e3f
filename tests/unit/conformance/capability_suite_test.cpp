// `hearth conformance capability`: minimal resources from the model, the smoke TestScript
// generated from a CapabilityStatement (one test per claimed interaction, skips with reasons),
// and that suite run against a scripted in-memory server: it passes on a server that does what
// it claims and fails on one that does not.
#include "conformance/capability_suite.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "conformance/conformance_command.h"
#include "conformance/json_util.h"
#include "conformance/minimal_resource.h"
#include "fake_transport.h"
#include "fhir/model.h"
#include "fhir/validate.h"

namespace hearth::conformance {
namespace {

using testing::FakeTransport;
using testing::json_response;

constexpr const char* kStatement = R"({"resourceType":"CapabilityStatement","status":"active",
  "software":{"name":"Fake"},"rest":[{"mode":"server",
   "resource":[
    {"type":"Patient","interaction":[{"code":"read"},{"code":"vread"},{"code":"update"},{"code":"delete"},
       {"code":"history-instance"},{"code":"history-type"},{"code":"create"},{"code":"patch"}]},
    {"type":"Observation","interaction":[{"code":"create"},{"code":"search-type"}],
     "searchParam":[{"name":"code","type":"token"},{"name":"code-value-quantity","type":"composite"}]},
    {"type":"Basic","updateCreate":true,"interaction":[{"code":"read"},{"code":"update"}]},
    {"type":"Device","interaction":[{"code":"read"}]},
    {"type":"NotAType","interaction":[{"code":"read"}]}],
   "interaction":[{"code":"history-system"},{"code":"transaction"}]}]})";

// An in-memory FHIR server below testing::kBase: create, read, vread, update (and create by
// update), delete (then 410), histories and search as Bundles, metadata. `broken_read` makes
// every read answer 404.
class MemoryServer {
 public:
  explicit MemoryServer(bool broken_read = false) : broken_read_(broken_read) {}

  Result<HttpResponse> operator()(const HttpRequest& r) {
    if (r.url == testing::kBase) return bundle_response(r);
    std::string path = r.url.substr(std::string(testing::kBase).size() + 1);
    path = path.substr(0, path.find('?'));
    std::vector<std::string> parts;
    std::stringstream s(path);
    for (std::string part; std::getline(s, part, '/');) parts.push_back(part);
    if (path == "metadata") return json_response(200, kStatement);
    if (r.method == "POST" && parts.size() == 1)
      return store(parts[0], "n" + std::to_string(++next_), r.body, 201);
    if (r.method == "PUT" && parts.size() == 2) {
      return store(parts[0], parts[1], r.body,
                   versions_.contains(parts[0] + "/" + parts[1]) ? 200 : 201);
    }
    if (r.method == "DELETE" && parts.size() == 2) {
      deleted_.insert(parts[0] + "/" + parts[1]);
      return HttpResponse{.status = 204, .headers = {}, .body = ""};
    }
    if (r.method != "GET") return json_response(405, outcome());
    if (parts.back() == "_history" || parts.size() == 1) {
      std::string type = parts.back() == "_history" ? "history" : "searchset";
      return json_response(200, R"({"resourceType":"Bundle","type":")" + type + R"(","total":0})");
    }
    std::string key = parts[0] + "/" + parts[1];
    if (deleted_.contains(key)) return json_response(410, outcome());
    auto it = bodies_.find(key);
    if (it == bodies_.end() || broken_read_) return json_response(404, outcome());
    return json_response(200, it->second,
                         {{"ETag", "W/\"" + std::to_string(versions_[key]) + "\""}});
  }

 private:
  // POST [base]: every entry of a transaction or batch answered 201 (a broken server: 404).
  Result<HttpResponse> bundle_response(const HttpRequest& r) {
    auto doc = fhir::parse_json(r.body);
    if (!doc || r.method != "POST" || broken_read_) return json_response(404, outcome());
    std::string entries;
    for (rapidjson::SizeType i = 0; i < array_member(*doc, "entry").Size(); ++i) {
      entries += std::string(i ? "," : "") + R"({"response":{"status":"201 Created"}})";
    }
    return json_response(200, R"({"resourceType":"Bundle","type":")" + string_member(*doc, "type") +
                                  R"(-response","entry":[)" + entries + "]}");
  }

  static std::string outcome() {
    return R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]})";
  }

  Result<HttpResponse> store(const std::string& type, const std::string& id,
                             const std::string& body, int status) {
    auto doc = fhir::parse_json(body);
    if (!doc || string_member(*doc, "resourceType") != type) return json_response(400, outcome());
    std::string key = type + "/" + id;
    int version = ++versions_[key];
    auto& a = doc->GetAllocator();
    doc->RemoveMember("id");
    doc->RemoveMember("meta");
    doc->AddMember("id", fhir::make_json_string(id, a), a);
    fhir::JsonValue meta(rapidjson::kObjectType);
    meta.AddMember("versionId", fhir::make_json_string(std::to_string(version), a), a);
    doc->AddMember("meta", meta, a);
    bodies_[key] = fhir::write_json(*doc);
    deleted_.erase(key);
    std::string v = std::to_string(version);
    return json_response(status, bodies_[key],
                         {{"Location", std::string(testing::kBase) + "/" + key + "/_history/" + v},
                          {"ETag", "W/\"" + v + "\""},
                          {"Last-Modified", "Wed, 02 Dec 2026 06:00:00 GMT"}});
  }

  bool broken_read_;
  int next_ = 0;
  std::map<std::string, std::string> bodies_;
  std::map<std::string, int> versions_;
  std::set<std::string> deleted_;
};

TEST_CASE("minimal resources come from the model and validate") {
  auto observation = minimal_resource("Observation", "o1");
  REQUIRE(observation.is_ok());
  CHECK(string_member(*observation, "status") == "unknown");
  CHECK(object_member(*observation, "code") != nullptr);
  CHECK(string_member(*observation, "id") == "o1");
  auto patient = minimal_resource("Patient", "");
  REQUIRE(patient.is_ok());
  CHECK(fhir::write_json(*patient) == R"({"resourceType":"Patient"})");
  CHECK(minimal_resource("HumanName", "x").status().code() == Code::kInvalidArgument);
  // Types whose invariants need more than their required elements (org-1: a name or an
  // identifier, ...): no minimal resource, and the smoke suite skips them.
  const std::set<std::string_view> kNeedMore = {"AllergyIntolerance",
                                                "Appointment",
                                                "AppointmentResponse",
                                                "CapabilityStatement",
                                                "Consent",
                                                "EventDefinition",
                                                "ImmunizationRecommendation",
                                                "InsurancePlan",
                                                "Linkage",
                                                "Organization",
                                                "StructureDefinition",
                                                "TerminologyCapabilities"};
  int made = 0;
  for (std::string_view type : fhir::resource_types()) {
    auto r = minimal_resource(type, "x");
    if (!r) {
      MESSAGE(std::string(type) << ": " << r.status().message());
      CHECK_MESSAGE(kNeedMore.count(type) == 1, type);
      CHECK(r.status().message().find("invariant") != std::string::npos);
      continue;
    }
    CHECK(fhir::validate_resource(*r, type).is_ok());
    ++made;
  }
  MESSAGE("minimal resources made for " << made << " of " << fhir::resource_types().size()
                                        << " types");
  CHECK(made + kNeedMore.size() == fhir::resource_types().size());
}

TEST_CASE("the smoke suite has one test per claimed interaction and lists what it skips") {
  auto cs = fhir::parse_json(kStatement);
  REQUIRE(cs.is_ok());
  auto suite = smoke_suite(*cs);
  REQUIRE(suite.is_ok());
  std::vector<std::string> names;
  for (const auto& t : array_member(suite->script, "test"))
    names.push_back(string_member(t, "name"));
  // capabilities, history-system, transaction, Patient x7, Observation x2 + its search
  // parameters, Basic x2 (seeded by updateCreate)
  CHECK(names.size() == 15);
  CHECK(suite->tests == 15);
  CHECK(suite->resource_types == 3);
  CHECK(std::find(names.begin(), names.end(), "Patient vread") != names.end());
  CHECK(std::find(names.begin(), names.end(), "Observation search-type") != names.end());
  std::string skipped;
  for (const auto& s : suite->skipped) skipped += s + "\n";
  CHECK(skipped.find("Patient patch") != std::string::npos);
  CHECK(std::find(names.begin(), names.end(), "transaction") != names.end());
  CHECK(skipped.find("Device read: no claimed way to make an instance") != std::string::npos);
  CHECK(skipped.find("NotAType") != std::string::npos);
  CHECK(skipped.find("Observation search parameter code-value-quantity: the generator has no "
                     "probe for composite parameters") != std::string::npos);
  CHECK(skipped.find("search parameter code:") == std::string::npos);  // probed
  CHECK(std::find(names.begin(), names.end(), "Observation search parameters") != names.end());
  CHECK(string_member(suite->script, "description").find("Patient patch") != std::string::npos);
  // create asserts 201 and the Location of http.html
  std::string text = fhir::write_json(suite->script);
  // a claimed parameter is searched with a token value under handling=strict
  CHECK(text.find(R"("params":"?code=http://example.org/probe|x")") != std::string::npos);
  CHECK(text.find(R"("requestHeader":[{"field":"Prefer","value":"handling=strict"}])") !=
        std::string::npos);
  CHECK(text.find(R"("headerField":"Location","operator":"contains","value":"/_history/")") !=
        std::string::npos);
  CHECK(smoke_suite(*fhir::parse_json(R"({"resourceType":"Patient"})")).status().code() ==
        Code::kInvalidArgument);
}

TEST_CASE("the generated suite passes against a server that does what it claims, fails otherwise") {
  auto cs = fhir::parse_json(kStatement);
  REQUIRE(cs.is_ok());
  auto suite = smoke_suite(*cs);
  REQUIRE(suite.is_ok());
  MemoryServer memory;
  FakeTransport good([&memory](const HttpRequest& r) { return memory(r); });
  ScriptResult pass = testing::run_script(good, fhir::write_json(suite->script));
  INFO(pass.load_error);
  for (const auto& t : pass.tests) {
    std::string why;
    for (const auto& a : t.actions) why += a.label + ": " + a.message + "\n";
    CHECK_MESSAGE(t.outcome() == Outcome::kPass, t.name << "\n" << why);
  }
  CHECK(pass.outcome() == Outcome::kPass);
  CHECK(pass.tests_with(Outcome::kPass) == 15);

  MemoryServer broken(true);
  FakeTransport bad([&broken](const HttpRequest& r) { return broken(r); });
  ScriptResult fail = testing::run_script(bad, fhir::write_json(suite->script));
  CHECK(fail.outcome() == Outcome::kFail);
  CHECK(fail.tests_with(Outcome::kFail) >= 4);  // Patient read, vread; Basic read; transaction
}

TEST_CASE("conformance capability writes the suite to --out and runs it with --run") {
  MemoryServer memory;
  FakeTransport transport([&memory](const HttpRequest& r) { return memory(r); });
  std::filesystem::path file =
      std::filesystem::temp_directory_path() / "hearth-capability-unit.json";
  CommandOptions options;
  options.server = testing::kBase;
  options.capability = true;
  options.suite_out = file.string();
  options.run_suite = true;
  std::ostringstream out;
  std::ostringstream err;
  CHECK(run_conformance(options, transport, out, err) == 0);
  INFO(out.str());
  INFO(err.str());
  CHECK(out.str().find("generated 15 test(s) over 3 resource type(s)") != std::string::npos);
  CHECK(out.str().find("SKIP  Patient patch") != std::string::npos);
  CHECK(out.str().find("15 passed, 0 failed") != std::string::npos);
  auto written = load_resource_file(file.string());
  REQUIRE(written.is_ok());
  CHECK(string_member(*written, "resourceType") == "TestScript");
  std::filesystem::remove(file);

  FakeTransport down([](const HttpRequest&) -> Result<HttpResponse> {
    return Status(Code::kUnavailable, "connection refused");
  });
  std::ostringstream out2;
  std::ostringstream err2;
  CHECK(run_conformance(options, down, out2, err2) == 1);
  CHECK(err2.str().find("connection refused") != std::string::npos);
}

}  // namespace
}  // namespace hearth::conformance
