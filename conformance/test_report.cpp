// TestReport building on RapidJSON via fhir/json.h (numbers as kept text).
#include "conformance/test_report.h"

#include <cstdio>

#include "conformance/json_util.h"
#include "fhir/json.h"

namespace hearth::conformance {
namespace {

using fhir::JsonAllocator;
using fhir::JsonValue;

void add(JsonValue& object, const char* name, JsonValue value, JsonAllocator& a) {
  object.AddMember(JsonValue(name, a), value, a);
}
void add(JsonValue& object, const char* name, const std::string& text, JsonAllocator& a) {
  add(object, name, fhir::make_json_string(valid_utf8(text), a), a);
}

std::string message_of(const ActionResult& action) {
  std::string m = action.message;
  if (action.outcome != Outcome::kPass && !action.request.empty() &&
      m.find(action.request) == std::string::npos) {
    m += "\n\nRequest: " + action.request;
    if (action.status != 0) m += " -> " + std::to_string(action.status);
    if (!action.response_excerpt.empty()) m += "\n\nResponse: " + action.response_excerpt;
  }
  return m;
}

JsonValue actions(const TestResult& test, bool operations_only, JsonAllocator& a) {
  JsonValue list(rapidjson::kArrayType);
  for (const auto& action : test.actions) {
    if (operations_only && !action.is_operation) continue;
    JsonValue detail(rapidjson::kObjectType);
    add(detail, "result", std::string(outcome_code(action.outcome)), a);
    std::string m = message_of(action);
    if (!action.label.empty()) m = action.label + (m.empty() ? "" : ": " + m);
    if (!m.empty()) add(detail, "message", m, a);
    JsonValue entry(rapidjson::kObjectType);
    add(entry, action.is_operation ? "operation" : "assert", std::move(detail), a);
    list.PushBack(entry, a);
  }
  return list;
}

}  // namespace

std::string test_report_json(const ScriptResult& result) {
  fhir::JsonDocument doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  add(doc, "resourceType", std::string("TestReport"), a);
  if (!result.id.empty()) add(doc, "id", result.id + "-report", a);
  add(doc, "name", result.name, a);
  add(doc, "status", std::string("completed"), a);
  JsonValue script(rapidjson::kObjectType);
  if (!result.id.empty()) add(script, "reference", "TestScript/" + result.id, a);
  add(script, "display", result.name, a);
  add(doc, "testScript", std::move(script), a);
  add(doc, "result", std::string(result.outcome() == Outcome::kPass ? "pass" : "fail"), a);
  int passed = result.tests_with(Outcome::kPass);
  double score = result.tests.empty() ? (result.outcome() == Outcome::kPass ? 100.0 : 0.0)
                                      : 100.0 * passed / static_cast<double>(result.tests.size());
  char score_text[32];
  std::snprintf(score_text, sizeof score_text, "%.1f", score);
  add(doc, "score", fhir::make_json_number(score_text, a), a);
  add(doc, "tester", std::string("Hearth conformance runner"), a);
  if (!result.issued.empty()) add(doc, "issued", result.issued, a);
  JsonValue participants(rapidjson::kArrayType);
  for (const auto& [type, uri] :
       {std::pair<std::string, std::string>{"test-engine", "urn:hearth:conformance"},
        std::pair<std::string, std::string>{"server", result.server}}) {
    if (uri.empty()) continue;
    JsonValue p(rapidjson::kObjectType);
    add(p, "type", type, a);
    add(p, "uri", uri, a);
    participants.PushBack(p, a);
  }
  add(doc, "participant", std::move(participants), a);

  TestResult setup = result.setup;
  if (!result.load_error.empty()) {
    setup.actions.insert(setup.actions.begin(), ActionResult{.is_operation = true,
                                                             .outcome = Outcome::kError,
                                                             .label = "load",
                                                             .message = result.load_error,
                                                             .request = "",
                                                             .status = 0,
                                                             .response_excerpt = ""});
  }
  for (const auto& note : result.notes) {
    setup.actions.push_back(ActionResult{.is_operation = true,
                                         .outcome = Outcome::kSkip,
                                         .label = "note",
                                         .message = note,
                                         .request = "",
                                         .status = 0,
                                         .response_excerpt = ""});
  }
  if (!setup.actions.empty()) {
    JsonValue s(rapidjson::kObjectType);
    add(s, "action", actions(setup, false, a), a);
    add(doc, "setup", std::move(s), a);
  }
  if (!result.tests.empty()) {
    JsonValue tests(rapidjson::kArrayType);
    for (const auto& t : result.tests) {
      JsonValue test(rapidjson::kObjectType);
      add(test, "name", t.name, a);
      if (!t.description.empty()) add(test, "description", t.description, a);
      JsonValue list = actions(t, false, a);
      if (list.Empty()) continue;  // TestReport.test.action is 1..*
      add(test, "action", std::move(list), a);
      tests.PushBack(test, a);
    }
    if (!tests.Empty()) add(doc, "test", std::move(tests), a);
  }
  JsonValue teardown_actions = actions(result.teardown, true, a);
  if (!teardown_actions.Empty()) {
    JsonValue td(rapidjson::kObjectType);
    add(td, "action", std::move(teardown_actions), a);
    add(doc, "teardown", std::move(td), a);
  }
  return fhir::write_json(doc, true);
}

}  // namespace hearth::conformance
