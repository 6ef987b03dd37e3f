// The smoke suite as TestScript JSON, built as values (never as text).
#include "conformance/capability_suite.h"

#include <algorithm>
#include <set>
#include <utility>

#include "conformance/json_util.h"
#include "conformance/minimal_resource.h"
#include "fhir/model.h"

namespace hearth::conformance {
namespace {

using Fields = std::vector<std::pair<const char*, std::string>>;

constexpr std::string_view kOperationCodes =
    "http://terminology.hl7.org/CodeSystem/testscript-operation-codes";
// The type-level interactions in the order their tests are written.
const std::vector<std::string_view> kTypeProbes = {"create",       "read",       "vread",
                                                   "update",       "delete",     "history-instance",
                                                   "history-type", "search-type"};

class Writer {
 public:
  explicit Writer(fhir::JsonDocument& doc) : a_(doc.GetAllocator()) {}

  fhir::JsonValue str(std::string_view s) { return fhir::make_json_string(s, a_); }

  fhir::JsonValue object(const Fields& fields) {
    fhir::JsonValue o(rapidjson::kObjectType);
    for (const auto& [name, value] : fields)
      o.AddMember(rapidjson::StringRef(name), str(value), a_);
    return o;
  }

  // {"operation":{"type":{system, code}, fields...}}
  fhir::JsonValue operation(std::string_view code, const Fields& fields) {
    fhir::JsonValue op = object(fields);
    fhir::JsonValue type(rapidjson::kObjectType);
    type.AddMember("system", str(kOperationCodes), a_);
    type.AddMember("code", str(code), a_);
    op.AddMember("type", type, a_);
    fhir::JsonValue action(rapidjson::kObjectType);
    action.AddMember("operation", op, a_);
    return action;
  }

  // {"assert":{label, fields..., warningOnly}}
  fhir::JsonValue check(const std::string& label, const Fields& fields, bool warning_only = false) {
    fhir::JsonValue as = object(fields);
    as.AddMember("label", str(label), a_);
    as.AddMember("warningOnly", fhir::JsonValue(warning_only), a_);
    fhir::JsonValue action(rapidjson::kObjectType);
    action.AddMember("assert", as, a_);
    return action;
  }

  fhir::JsonValue test(const std::string& name, const std::string& description,
                       fhir::JsonValue actions) {
    fhir::JsonValue t(rapidjson::kObjectType);
    t.AddMember("name", str(name), a_);
    t.AddMember("description", str(description), a_);
    t.AddMember("action", actions, a_);
    return t;
  }

  fhir::JsonAllocator& allocator() { return a_; }

 private:
  fhir::JsonAllocator& a_;
};

struct Claims {
  std::string type;
  std::set<std::string, std::less<>> interactions;
  bool update_create = false;
  std::vector<std::pair<std::string, std::string>> search_params;  // (name, type)
};

// A syntactically valid value of each search parameter type (search.html), for probes that
// check the parameter is accepted, not what it matches.
std::string probe_value(std::string_view type) {
  if (type == "number" || type == "quantity") return "1";
  if (type == "date") return "ge2000-01-01";
  if (type == "string") return "a";
  if (type == "token") return "http://example.org/probe|x";
  if (type == "reference") return "probe-id";
  if (type == "uri") return "http://example.org/probe";
  return "";
}

// The tests of one resource type, appended to `tests`.
class TypeProbes {
 public:
  TypeProbes(Writer& w, const Claims& claims, fhir::JsonValue& tests,
             std::vector<std::string>& skipped)
      : w_(w), c_(claims), fx_(claims.type), tests_(tests), skipped_(skipped) {}

  int write() {
    int written = 0;
    for (std::string_view code : kTypeProbes) {
      if (!c_.interactions.contains(code)) continue;
      fhir::JsonValue actions(rapidjson::kArrayType);
      bool instance = code != "create" && code != "history-type" && code != "search-type";
      if (instance && !seed(actions, code)) continue;
      probe(code, actions);
      tests_.PushBack(
          w_.test(c_.type + " " + std::string(code),
                  "Claimed interaction " + std::string(code) + " on " + c_.type + " (http.html)",
                  std::move(actions)),
          w_.allocator());
      ++written;
    }
    if (c_.interactions.contains("search-type")) written += search_params();
    for (const auto& code : c_.interactions) {
      if (std::find(kTypeProbes.begin(), kTypeProbes.end(), code) == kTypeProbes.end()) {
        skipped_.push_back(c_.type + " " + code +
                           ": the generator has no probe for this interaction");
      }
    }
    return written;
  }

 private:
  // One test probing every claimed search parameter: [type]?[name]=[value of its type] under
  // Prefer: handling=strict, so a server that does not know the parameter must answer 400.
  int search_params() {
    fhir::JsonValue actions(rapidjson::kArrayType);
    for (const auto& [name, type] : c_.search_params) {
      const std::string value = probe_value(type);
      if (value.empty()) {
        skipped_.push_back(c_.type + " search parameter " + name +
                           ": the generator has no probe for " + type + " parameters");
        continue;
      }
      fhir::JsonValue op = w_.operation("search", {{"resource", c_.type},
                                                   {"params", "?" + name + "=" + value},
                                                   {"label", "search " + name}});
      fhir::JsonValue header(rapidjson::kObjectType);
      header.AddMember("field", w_.str("Prefer"), w_.allocator());
      header.AddMember("value", w_.str("handling=strict"), w_.allocator());
      fhir::JsonValue headers(rapidjson::kArrayType);
      headers.PushBack(header, w_.allocator());
      op["operation"].AddMember("requestHeader", headers, w_.allocator());
      add(actions, std::move(op));
      add(actions, w_.check(label("search", name + "-200"), {{"response", "okay"}}));
      add(actions, w_.check(label("search", name + "-bundle"), {{"resource", "Bundle"}}));
    }
    if (actions.Empty()) return 0;
    tests_.PushBack(w_.test(c_.type + " search parameters",
                            "Every search parameter claimed for " + c_.type +
                                " is accepted under Prefer: handling=strict (search.html)",
                            std::move(actions)),
                    w_.allocator());
    return 1;
  }

  void add(fhir::JsonValue& actions, fhir::JsonValue action) {
    actions.PushBack(action, w_.allocator());
  }

  std::string label(std::string_view code, std::string_view what) {
    return c_.type + "-" + std::string(code) + "-" + std::string(what);
  }

  // Makes the instance an instance-level probe works on; false (and a skip) when no claimed
  // interaction can.
  bool seed(fhir::JsonValue& actions, std::string_view code) {
    if (c_.interactions.contains("create")) {
      add(actions,
          w_.operation("create", {{"resource", c_.type}, {"sourceId", fx_}, {"label", "seed"}}));
      add(actions, w_.check(label(code, "seed-created"), {{"responseCode", "201"}}));
      return true;
    }
    if (c_.interactions.contains("update") && c_.update_create) {
      add(actions, w_.operation("updateCreate", {{"resource", c_.type},
                                                 {"params", "/hearth-smoke-" + std::string(code)},
                                                 {"sourceId", fx_},
                                                 {"label", "seed"}}));
      add(actions, w_.check(label(code, "seed-stored"), {{"responseCode", "200,201"}}));
      return true;
    }
    skipped_.push_back(
        c_.type + " " + std::string(code) +
        ": no claimed way to make an instance (create, or update with updateCreate)");
    return false;
  }

  void probe(std::string_view code, fhir::JsonValue& actions) {
    const std::string& t = c_.type;
    if (code == "create") {
      add(actions, w_.operation("create", {{"resource", t}, {"sourceId", fx_}}));
      add(actions, w_.check(label(code, "201"), {{"response", "created"}}));
      add(actions, w_.check(label(code, "location"), {{"headerField", "Location"},
                                                      {"operator", "contains"},
                                                      {"value", "/" + t + "/"}}));
      add(actions, w_.check(label(code, "location-version"), {{"headerField", "Location"},
                                                              {"operator", "contains"},
                                                              {"value", "/_history/"}}));
      add(actions,
          w_.check(label(code, "etag"), {{"headerField", "ETag"}, {"operator", "notEmpty"}}, true));
      add(actions, w_.check(label(code, "last-modified"),
                            {{"headerField", "Last-Modified"}, {"operator", "notEmpty"}}, true));
    } else if (code == "read" || code == "vread") {
      add(actions, w_.operation(code, {{"targetId", fx_}}));
      add(actions, w_.check(label(code, "200"), {{"response", "okay"}}));
      add(actions, w_.check(label(code, "type"), {{"resource", t}}));
      if (code == "read") {
        add(actions, w_.check(label(code, "etag"),
                              {{"headerField", "ETag"}, {"operator", "notEmpty"}}, true));
      } else {
        add(actions,
            w_.check(label(code, "version"), {{"expression", t + ".meta.versionId.exists()"}}));
      }
    } else if (code == "update") {
      add(actions, w_.operation("update", {{"targetId", fx_}, {"sourceId", fx_}}));
      add(actions, w_.check(label(code, "200"), {{"response", "okay"}}));
      add(actions,
          w_.check(label(code, "etag"), {{"headerField", "ETag"}, {"operator", "notEmpty"}}, true));
    } else if (code == "delete") {
      add(actions, w_.operation("delete", {{"targetId", fx_}}));
      add(actions, w_.check(label(code, "2xx"), {{"responseCode", "200,202,204"}}));
      add(actions, w_.operation("read", {{"targetId", fx_}, {"label", "read after delete"}}));
      add(actions, w_.check(label(code, "gone"), {{"responseCode", "404,410"}}));
    } else {
      std::string bundle_type = code == "search-type" ? "searchset" : "history";
      if (code == "history-instance") {
        add(actions, w_.operation("history", {{"targetId", fx_}}));
      } else if (code == "history-type") {
        add(actions, w_.operation("history", {{"resource", t}}));
      } else {
        add(actions, w_.operation("search", {{"resource", t}}));
      }
      add(actions, w_.check(label(code, "200"), {{"response", "okay"}}));
      add(actions, w_.check(label(code, "bundle"), {{"resource", "Bundle"}}));
      add(actions, w_.check(label(code, bundle_type),
                            {{"expression", "Bundle.type = '" + bundle_type + "'"}}));
    }
  }

  Writer& w_;
  const Claims& c_;
  std::string fx_;
  fhir::JsonValue& tests_;
  std::vector<std::string>& skipped_;
};

// The fixture {"id": NAME, "resource": {"reference": "#smoke-NAME"}}: a type's minimal resource,
// or the Bundle of a system probe.
fhir::JsonValue fixture_for(Writer& w, const std::string& type) {
  auto& a = w.allocator();
  fhir::JsonValue reference(rapidjson::kObjectType);
  reference.AddMember("reference", w.str("#smoke-" + type), a);
  fhir::JsonValue fixture(rapidjson::kObjectType);
  fixture.AddMember("id", w.str(type), a);
  fixture.AddMember("autocreate", false, a);
  fixture.AddMember("autodelete", false, a);
  fixture.AddMember("resource", reference, a);
  return fixture;
}

// A resource type the server claims to create whose minimal resource can be built: the entry
// of the transaction and batch probes. Empty when there is none.
std::string creatable_type(const fhir::JsonValue& rest) {
  for (const auto* r : object_array(rest, "resource")) {
    for (const auto* i : object_array(*r, "interaction")) {
      const std::string type = string_member(*r, "type");
      if (string_member(*i, "code") == "create" && minimal_resource(type, "x").is_ok()) return type;
    }
  }
  return {};
}

// The probe of a claimed transaction or batch: a Bundle of one POST, answered with a
// `<code>-response` Bundle of one entry that says 201.
void bundle_probe(Writer& w, const std::string& code, const std::string& type,
                  fhir::JsonValue& contained, fhir::JsonValue& fixtures, fhir::JsonValue& tests) {
  auto& a = w.allocator();
  auto minimal = minimal_resource(type, "");
  fhir::JsonValue resource;
  resource.CopyFrom(*minimal, a);
  resource.RemoveMember("id");
  fhir::JsonValue request(rapidjson::kObjectType);
  request.AddMember("method", "POST", a);
  request.AddMember("url", w.str(type), a);
  fhir::JsonValue entry(rapidjson::kObjectType);
  entry.AddMember("fullUrl", "urn:uuid:6a1f4f3e-5f7c-4c1b-9a59-3c4f2d0e1b7a", a);
  entry.AddMember("resource", resource, a);
  entry.AddMember("request", request, a);
  fhir::JsonValue entries(rapidjson::kArrayType);
  entries.PushBack(entry, a);
  fhir::JsonValue bundle(rapidjson::kObjectType);
  bundle.AddMember("resourceType", "Bundle", a);
  bundle.AddMember("id", w.str("smoke-" + code), a);
  bundle.AddMember("type", w.str(code), a);
  bundle.AddMember("entry", entries, a);
  contained.PushBack(bundle, a);
  fixtures.PushBack(fixture_for(w, code), a);

  fhir::JsonValue actions(rapidjson::kArrayType);
  actions.PushBack(w.operation(code, {{"sourceId", code}}), a);
  actions.PushBack(w.check(code + "-200", {{"response", "okay"}}), a);
  actions.PushBack(w.check(code + "-bundle", {{"resource", "Bundle"}}), a);
  actions.PushBack(
      w.check(code + "-type", {{"expression", "Bundle.type = '" + code + "-response'"}}), a);
  actions.PushBack(w.check(code + "-created",
                           {{"expression", "Bundle.entry.response.status.startsWith('201')"}}),
                   a);
  tests.PushBack(
      w.test(code, "Claimed interaction " + code + ": one POST entry, created", std::move(actions)),
      a);
}

// The system-level tests: capabilities always; history-system, transaction and batch when
// claimed.
void system_tests(Writer& w, const fhir::JsonValue& rest, fhir::JsonValue& contained,
                  fhir::JsonValue& fixtures, fhir::JsonValue& tests,
                  std::vector<std::string>& skipped, int& count) {
  fhir::JsonValue caps(rapidjson::kArrayType);
  caps.PushBack(w.operation("capabilities", {}), w.allocator());
  caps.PushBack(w.check("capabilities-200", {{"response", "okay"}}), w.allocator());
  caps.PushBack(w.check("capabilities-type", {{"resource", "CapabilityStatement"}}), w.allocator());
  tests.PushBack(w.test("capabilities", "GET [base]/metadata answers the CapabilityStatement",
                        std::move(caps)),
                 w.allocator());
  ++count;
  for (const auto* i : object_array(rest, "interaction")) {
    std::string code = string_member(*i, "code");
    if (code == "transaction" || code == "batch") {
      const std::string type = creatable_type(rest);
      if (type.empty()) {
        skipped.push_back("system " + code + ": no resource type the server claims to create");
        continue;
      }
      bundle_probe(w, code, type, contained, fixtures, tests);
      ++count;
      continue;
    }
    if (code != "history-system") {
      skipped.push_back("system " + code + ": the generator has no probe for this interaction");
      continue;
    }
    fhir::JsonValue actions(rapidjson::kArrayType);
    actions.PushBack(w.operation("history", {}), w.allocator());
    actions.PushBack(w.check("history-system-200", {{"response", "okay"}}), w.allocator());
    actions.PushBack(w.check("history-system-bundle", {{"resource", "Bundle"}}), w.allocator());
    actions.PushBack(w.check("history-system-history", {{"expression", "Bundle.type = 'history'"}}),
                     w.allocator());
    tests.PushBack(
        w.test("history-system", "Claimed interaction history-system", std::move(actions)),
        w.allocator());
    ++count;
  }
}

// The probes of one CapabilityStatement.rest.resource entry, with its minimal resource (contained)
// and fixture; a type that cannot be probed goes to `suite.skipped`.
void add_type(Writer& w, const fhir::JsonValue& entry, fhir::JsonValue& contained,
              fhir::JsonValue& fixtures, fhir::JsonValue& tests, SmokeSuite& suite) {
  Claims claims;
  claims.type = string_member(entry, "type");
  claims.update_create = bool_member(entry, "updateCreate");
  for (const auto* i : object_array(entry, "interaction"))
    claims.interactions.insert(string_member(*i, "code"));
  for (const auto* p : object_array(entry, "searchParam")) {
    claims.search_params.emplace_back(string_member(*p, "name"), string_member(*p, "type"));
  }
  if (claims.interactions.empty()) return;
  auto minimal = minimal_resource(claims.type, "smoke-" + claims.type);
  if (!minimal) {
    suite.skipped.push_back(claims.type + " (every interaction): " + minimal.status().message());
    return;
  }
  int written = TypeProbes(w, claims, tests, suite.skipped).write();
  if (written == 0) return;
  suite.tests += written;
  ++suite.resource_types;
  fhir::JsonValue resource;
  resource.CopyFrom(*minimal, w.allocator());
  contained.PushBack(resource, w.allocator());
  fixtures.PushBack(fixture_for(w, claims.type), w.allocator());
}

std::string description(const SmokeSuite& suite, const fhir::JsonValue& cs) {
  std::string software;
  if (const auto* s = object_member(cs, "software")) software = string_member(*s, "name");
  std::string text =
      "Smoke probes generated by `hearth conformance capability` from the CapabilityStatement" +
      (software.empty() ? std::string() : " of " + software) +
      ": one test per claimed interaction (" + std::to_string(suite.tests) + " tests over " +
      std::to_string(suite.resource_types) + " resource types).";
  if (!suite.skipped.empty()) {
    text += " Not probed (" + std::to_string(suite.skipped.size()) + "):";
    for (const auto& s : suite.skipped) text += "\n- " + s;
  }
  return text;
}

}  // namespace

Result<SmokeSuite> smoke_suite(const fhir::JsonValue& cs) {
  if (!cs.IsObject() || string_member(cs, "resourceType") != "CapabilityStatement") {
    return Status(Code::kInvalidArgument, "not a CapabilityStatement");
  }
  const fhir::JsonValue* rest = nullptr;
  for (const auto* r : object_array(cs, "rest")) {
    if (rest == nullptr && string_member(*r, "mode") == "server") rest = r;
  }
  if (rest == nullptr) {
    return Status(Code::kInvalidArgument,
                  "the CapabilityStatement has no rest entry of mode server");
  }

  SmokeSuite suite;
  fhir::JsonDocument& doc = suite.script;
  doc.SetObject();
  Writer w(doc);
  auto& a = doc.GetAllocator();
  fhir::JsonValue contained(rapidjson::kArrayType);
  fhir::JsonValue fixtures(rapidjson::kArrayType);
  fhir::JsonValue tests(rapidjson::kArrayType);
  system_tests(w, *rest, contained, fixtures, tests, suite.skipped, suite.tests);
  for (const auto* r : object_array(*rest, "resource"))
    add_type(w, *r, contained, fixtures, tests, suite);
  doc.AddMember("resourceType", "TestScript", a);
  doc.AddMember("id", "hearth-capability-smoke", a);
  doc.AddMember("url", "urn:hearth:suite:capability-smoke", a);
  doc.AddMember("name", "HearthCapabilitySmoke", a);
  doc.AddMember("title", "Smoke probes of every interaction the CapabilityStatement claims", a);
  doc.AddMember("status", "active", a);
  doc.AddMember("description", w.str(description(suite, cs)), a);
  doc.AddMember("contained", contained, a);
  doc.AddMember("fixture", fixtures, a);
  doc.AddMember("test", tests, a);
  return suite;
}

Result<fhir::JsonDocument> fetch_capability_statement(HttpTransport& transport,
                                                      const std::string& base_url,
                                                      const std::string& token) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest request{.method = "GET",
                      .url = base + "/metadata",
                      .headers = {{"Accept", "application/fhir+json"}},
                      .body = ""};
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  auto response = transport.send(request);
  if (!response) return response.status();
  if (response->status != 200) {
    return Status(Code::kUnavailable,
                  "GET " + request.url + " answered " + std::to_string(response->status));
  }
  auto doc = fhir::parse_json(response->body);
  if (!doc) {
    return Status(Code::kMalformed,
                  "GET " + request.url + ": the body is not JSON: " + doc.status().message());
  }
  return doc;
}

}  // namespace hearth::conformance
