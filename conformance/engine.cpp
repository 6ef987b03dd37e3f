// The TestScript walk: fixtures, setup, tests, teardown.
#include "conformance/engine.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "conformance/assertion.h"
#include "conformance/json_util.h"
#include "conformance/operation.h"
#include "conformance/script_state.h"
#include "core/time_format.h"
#include "fhir/xml/xml_reader.h"

namespace hearth::conformance {
namespace {

const std::vector<std::string_view> kScriptMembers = {
    "resourceType",  "id",          "meta",
    "implicitRules", "language",    "text",
    "contained",     "extension",   "modifierExtension",
    "url",           "identifier",  "version",
    "name",          "title",       "status",
    "experimental",  "date",        "publisher",
    "contact",       "description", "useContext",
    "jurisdiction",  "purpose",     "copyright",
    "origin",        "destination", "metadata",
    "fixture",       "profile",     "variable",
    "setup",         "test",        "teardown"};
const std::vector<std::string_view> kFixtureMembers = {
    "id", "extension", "modifierExtension", "autocreate", "autodelete", "resource"};
const std::vector<std::string_view> kVariableMembers = {
    "id",         "extension",   "name", "defaultValue", "description",
    "expression", "headerField", "hint", "path",         "sourceId"};
const std::vector<std::string_view> kActionMembers = {"id", "extension", "modifierExtension",
                                                      "operation", "assert"};

class Run {
 public:
  Run(HttpTransport& transport, const EngineOptions& options, const fhir::JsonValue& script,
      std::string base_dir)
      : transport_(transport),
        options_(options),
        script_(script),
        base_dir_(std::move(base_dir)),
        state_(script, options.variables) {
    context_.base_url = options.base_url;
    while (!context_.base_url.empty() && context_.base_url.back() == '/')
      context_.base_url.pop_back();
    context_.token = options.token;
  }

  void execute(ScriptResult& result) {
    check_script_members(result);
    if (!result.load_error.empty()) return;
    if (!load_fixtures(result)) return;
    result.setup.name = "setup";
    bool setup_ok = run_setup(result);
    if (!result.setup.actions.empty()) notify(result, result.setup);
    for (const auto* test : object_array(script_, "test")) {
      TestResult t;
      t.name = string_member(*test, "name");
      if (t.name.empty()) t.name = "test " + std::to_string(result.tests.size() + 1);
      t.description = string_member(*test, "description");
      if (!setup_ok) {
        t.actions.push_back(ActionResult{.is_operation = false,
                                         .outcome = Outcome::kSkip,
                                         .label = "test",
                                         .message = "setup failed",
                                         .request = "",
                                         .status = 0,
                                         .response_excerpt = ""});
      } else {
        run_actions(*test, t, false);
      }
      result.tests.push_back(std::move(t));
      notify(result, result.tests.back());
    }
    result.teardown.name = "teardown";
    if (const auto* teardown = object_member(script_, "teardown"))
      run_actions(*teardown, result.teardown, true);
    for (const auto* f : object_array(script_, "fixture")) {
      if (!bool_member(*f, "autodelete")) continue;
      std::string id = string_member(*f, "id");
      if (Fixture* fixture = state_.find(id); fixture == nullptr || fixture->server_id.empty()) {
        result.teardown.actions.push_back(
            ActionResult{.is_operation = true,
                         .outcome = Outcome::kSkip,
                         .label = "autodelete " + id,
                         .message = "fixture '" + id + "' was never created on the server",
                         .request = "",
                         .status = 0,
                         .response_excerpt = ""});
        continue;
      }
      synthetic("delete", "targetId", id, "autodelete " + id, result.teardown);
    }
    if (!result.teardown.actions.empty()) notify(result, result.teardown);
  }

 private:
  void notify(const ScriptResult& script, const TestResult& test) {
    if (options_.on_test) options_.on_test(script, test);
  }

  void check_script_members(ScriptResult& result) {
    if (string_member(script_, "resourceType") != "TestScript") {
      result.load_error =
          "not a TestScript (resourceType '" + string_member(script_, "resourceType") + "')";
      return;
    }
    if (script_.HasMember("modifierExtension")) {
      result.load_error = "the TestScript has a modifierExtension the runner does not understand";
      return;
    }
    for (const auto& name : unknown_members(script_, kScriptMembers)) {
      result.notes.push_back("unknown TestScript element '" + name + "' ignored");
    }
    if (array_member(script_, "origin").Size() > 1 ||
        array_member(script_, "destination").Size() > 1) {
      result.notes.push_back("several origins/destinations: every operation goes to --server");
    }
    if (script_.HasMember("metadata")) {
      result.notes.push_back(
          "metadata.capability is not checked against the server's CapabilityStatement");
    }
    for (const auto* v : object_array(script_, "variable")) {
      for (const auto& name : unknown_members(*v, kVariableMembers)) {
        result.notes.push_back("variable '" + string_member(*v, "name") + "': unknown element '" +
                               name + "'");
      }
    }
  }

  bool load_fixtures(ScriptResult& result) {
    for (const auto* f : object_array(script_, "fixture")) {
      std::string id = string_member(*f, "id");
      for (const auto& name : unknown_members(*f, kFixtureMembers)) {
        result.load_error = "fixture '" + id + "': unsupported element '" + name + "'";
        return false;
      }
      if (id.empty()) {
        result.load_error = "a fixture has no id";
        return false;
      }
      const auto* ref = object_member(*f, "resource");
      std::string reference = ref ? string_member(*ref, "reference") : "";
      if (auto raw = raw_fixture(reference)) {
        if (!*raw) {
          result.load_error = "fixture '" + id + "': " + raw->status().message();
          return false;
        }
        Fixture fixture;
        fixture.raw_body = std::move(*raw).value();
        state_.fixtures()[id] = std::move(fixture);
        continue;
      }
      auto doc = load_fixture(reference);
      if (!doc) {
        result.load_error = "fixture '" + id + "': " + doc.status().message();
        return false;
      }
      Fixture fixture;
      fixture.resource = std::make_shared<fhir::JsonDocument>(std::move(doc).value());
      state_.fixtures()[id] = std::move(fixture);
    }
    return true;
  }

  // `path` (relative ones below the script's folder) when it resolves below the script's folder
  // or an --allow-fixture-path root; a script from elsewhere must not read arbitrary files
  // (and send them to a server) through "../" or absolute references.
  Result<std::filesystem::path> confined(std::filesystem::path path) const {
    if (path.is_relative()) path = std::filesystem::path(base_dir_) / path;
    std::error_code ec;
    const std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
    auto below = [&](const std::string& root) {
      std::error_code root_ec;
      const std::filesystem::path dir = std::filesystem::weakly_canonical(
          root.empty() ? std::filesystem::path(".") : std::filesystem::path(root), root_ec);
      if (root_ec) return false;
      auto [end, _] = std::mismatch(dir.begin(), dir.end(), resolved.begin(), resolved.end());
      return end == dir.end() || (std::next(end) == dir.end() && end->empty());
    };
    if (!ec && (below(base_dir_) ||
                std::any_of(options_.fixture_roots.begin(), options_.fixture_roots.end(), below))) {
      return resolved;
    }
    return Status(Code::kForbidden,
                  "'" + path.string() + "' is outside the script's folder '" +
                      (base_dir_.empty() ? std::string(".") : base_dir_) +
                      "'; pass --allow-fixture-path DIR to read fixtures from DIR");
  }

  // A fixture file that is neither .json nor .xml is a raw body, sent as written (a malformed
  // request, a non-FHIR payload); nullopt for any other reference.
  std::optional<Result<std::string>> raw_fixture(const std::string& reference) {
    if (reference.empty() || reference[0] == '#' || reference.find("://") != std::string::npos)
      return std::nullopt;
    std::filesystem::path path(reference);
    std::string ext = path.extension().string();
    if (ext.empty() || ext == ".json" || ext == ".xml") return std::nullopt;
    Result<std::filesystem::path> inside = confined(path);
    if (!inside) return Result<std::string>(inside.status());
    path = *inside;
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return Result<std::string>(Status(Code::kNotFound, "cannot read '" + path.string() + "'"));
    std::stringstream buffer;
    buffer << in.rdbuf();
    return Result<std::string>(buffer.str());
  }

  Result<fhir::JsonDocument> load_fixture(const std::string& reference) {
    if (reference.empty()) return Status(Code::kInvalidArgument, "no resource.reference");
    if (reference[0] == '#') {
      for (const auto& c : array_member(script_, "contained")) {
        if (string_member(c, "id") == reference.substr(1)) {
          fhir::JsonDocument doc;
          doc.CopyFrom(c, doc.GetAllocator());
          return doc;
        }
      }
      return Status(Code::kNotFound, "no contained resource '" + reference + "'");
    }
    if (reference.find("://") != std::string::npos) {
      return Status(Code::kNotImplemented,
                    "remote fixture references are not supported: " + reference);
    }
    Result<std::filesystem::path> inside = confined(std::filesystem::path(reference));
    if (!inside) return inside.status();
    const std::filesystem::path path = *inside;
    std::error_code ec;
    std::size_t slash = reference.find('/');
    if (!std::filesystem::exists(path, ec) && slash != std::string::npos &&
        reference.find('/', slash + 1) == std::string::npos) {
      // "Patient/example" as the official examples write it: the package file Patient-example.json.
      std::string flat = reference.substr(0, slash) + "-" + reference.substr(slash + 1);
      for (const char* ext : {".json", ".xml"}) {
        std::filesystem::path candidate = std::filesystem::path(base_dir_) / (flat + ext);
        if (std::filesystem::exists(candidate, ec)) return load_resource_file(candidate.string());
      }
    }
    return load_resource_file(path.string());
  }

  bool run_setup(ScriptResult& result) {
    for (const auto* f : object_array(script_, "fixture")) {
      if (!bool_member(*f, "autocreate")) continue;
      std::string id = string_member(*f, "id");
      synthetic("create", "sourceId", id, "autocreate " + id, result.setup);
      const Fixture* last = state_.last();
      if (result.setup.actions.back().outcome == Outcome::kPass && last != nullptr &&
          (last->status < 200 || last->status >= 300)) {
        result.setup.actions.back().outcome = Outcome::kFail;
        result.setup.actions.back().message =
            "autocreate of '" + id + "' answered " + std::to_string(last->status);
      }
    }
    if (const auto* setup = object_member(script_, "setup"))
      run_actions(*setup, result.setup, false);
    return result.setup.outcome() == Outcome::kPass;
  }

  // Runs the operation {"type":{"code":CODE},FIXTURE_KEY:FIXTURE_ID} (autocreate/autodelete).
  void synthetic(const char* code, const char* fixture_key, const std::string& fixture_id,
                 const std::string& label, TestResult& into) {
    fhir::JsonDocument op;
    op.SetObject();
    auto& a = op.GetAllocator();
    fhir::JsonValue type(rapidjson::kObjectType);
    type.AddMember("code", fhir::make_json_string(code, a), a);
    op.AddMember("type", type, a);
    op.AddMember(rapidjson::StringRef(fixture_key), fhir::make_json_string(fixture_id, a), a);
    ActionResult r = run_operation(op);
    r.label = label;
    into.actions.push_back(std::move(r));
  }

  void run_actions(const fhir::JsonValue& holder, TestResult& into, bool teardown) {
    bool blocked = false;
    std::string blocked_why;
    for (const auto& action : array_member(holder, "action")) {
      ActionResult r;
      const auto* op = object_member(action, "operation");
      const auto* as = object_member(action, "assert");
      auto unknown = unknown_members(action, kActionMembers);
      if (!unknown.empty() || action.HasMember("modifierExtension")) {
        r.outcome = Outcome::kSkip;
        r.message = "unsupported: action element '" +
                    (unknown.empty() ? "modifierExtension" : unknown[0]) + "'";
      } else if ((op == nullptr) == (as == nullptr)) {
        r.outcome = Outcome::kError;
        r.message = "an action needs exactly one of operation and assert";
      } else if (teardown && as != nullptr) {
        r.outcome = Outcome::kError;
        r.message = "teardown actions may only be operations";
      } else if (blocked) {
        r.is_operation = op != nullptr;
        r.label = op ? string_member(*op, "label") : string_member(*as, "label");
        r.outcome = Outcome::kSkip;
        r.message = "not run: " + blocked_why;
      } else if (op != nullptr) {
        r = run_operation(*op);
        if (r.outcome != Outcome::kPass) {
          blocked = true;
          blocked_why = "an earlier operation did not run (" + r.message + ")";
        }
      } else {
        r = run_assert(*as, state_);
      }
      into.actions.push_back(std::move(r));
    }
  }

  ActionResult run_operation(const fhir::JsonValue& op) {
    ActionResult r;
    r.is_operation = true;
    r.label = string_member(op, "label");
    if (r.label.empty()) r.label = string_member(op, "description");
    if (r.label.empty()) r.label = operation_code(op).empty() ? "operation" : operation_code(op);
    auto request = build_request(op, state_, context_);
    if (!request) {
      bool unsupported = request.status().code() == Code::kNotImplemented;
      r.outcome = unsupported ? Outcome::kSkip : Outcome::kError;
      r.message = (unsupported ? "unsupported: " : "") + request.status().message();
      return r;
    }
    r.request = request_line(*request);
    auto response = transport_.send(*request);
    if (!response) {
      r.outcome = Outcome::kError;
      r.message = response.status().message();
      return r;
    }
    record_exchange(op, *request, *response, state_);
    r.outcome = Outcome::kPass;
    r.status = response->status;
    r.response_excerpt = excerpt(response->body);
    r.message = r.request + " -> " + std::to_string(response->status);
    return r;
  }

  HttpTransport& transport_;
  const EngineOptions& options_;
  const fhir::JsonValue& script_;
  std::string base_dir_;
  ScriptState state_;
  RequestContext context_;
};

}  // namespace

Result<fhir::JsonDocument> load_resource_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kNotFound, "cannot read '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  std::size_t start = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  bool xml = start != std::string::npos && text[start] == '<';
  auto doc = xml ? fhir::parse_xml_resource(text) : fhir::parse_json(text);
  if (!doc) return Status(doc.status().code(), path + ": " + doc.status().message());
  return doc;
}

Engine::Engine(HttpTransport& transport, EngineOptions options)
    : transport_(transport), options_(std::move(options)) {}

ScriptResult Engine::run_file(const std::string& path) {
  auto doc = load_resource_file(path);
  if (!doc) {
    ScriptResult result;
    result.file = path;
    result.name = std::filesystem::path(path).filename().string();
    result.server = options_.base_url;
    result.load_error = doc.status().message();
    return result;
  }
  return run(*doc, std::filesystem::path(path).parent_path().string(), path);
}

ScriptResult Engine::run(const fhir::JsonValue& script, const std::string& base_dir,
                         const std::string& file) {
  ScriptResult result;
  result.file = file;
  result.id = string_member(script, "id");
  result.name = string_member(script, "name");
  if (result.name.empty()) result.name = string_member(script, "title");
  if (result.name.empty()) result.name = std::filesystem::path(file).filename().string();
  result.url = string_member(script, "url");
  result.server = options_.base_url;
  std::unique_ptr<Clock> system;
  const Clock* clock = options_.clock;
  if (clock == nullptr) {
    system = make_system_clock();
    clock = system.get();
  }
  result.issued = format_instant(clock->now_micros());
  try {
    Run run(transport_, options_, script, base_dir);
    run.execute(result);
  } catch (const std::exception& e) {  // a bug in the runner must not abort the other scripts
    result.load_error = std::string("internal error: ") + e.what();
  }
  return result;
}

}  // namespace hearth::conformance
