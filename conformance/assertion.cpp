// Assert evaluation. Each check returns pass/fail with a message saying what was compared; an
// error Status means the check could not run (kNotImplemented -> skip, anything else -> error).
#include "conformance/assertion.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "conformance/json_util.h"
#include "conformance/operation.h"
#include "conformance/simple_xpath.h"
#include "fhir/fhirpath/fhirpath.h"
#include "fhir/model.h"
#include "fhir/validate.h"

namespace hearth::conformance {
namespace {

struct Check {
  bool ok = false;
  std::string message;
};

const std::vector<std::string_view> kKnownMembers = {"id",
                                                     "extension",
                                                     "modifierExtension",
                                                     "label",
                                                     "description",
                                                     "direction",
                                                     "compareToSourceId",
                                                     "compareToSourceExpression",
                                                     "compareToSourcePath",
                                                     "contentType",
                                                     "expression",
                                                     "headerField",
                                                     "minimumId",
                                                     "navigationLinks",
                                                     "operator",
                                                     "path",
                                                     "requestMethod",
                                                     "requestURL",
                                                     "resource",
                                                     "response",
                                                     "responseCode",
                                                     "sourceId",
                                                     "validateProfileId",
                                                     "value",
                                                     "warningOnly"};

int response_status(std::string_view code) {
  static const std::vector<std::pair<std::string_view, int>> kCodes = {
      {"okay", 200},     {"created", 201},   {"noContent", 204},          {"notModified", 304},
      {"bad", 400},      {"forbidden", 403}, {"notFound", 404},           {"methodNotAllowed", 405},
      {"conflict", 409}, {"gone", 410},      {"preconditionFailed", 412}, {"unprocessable", 422}};
  for (const auto& [name, status] : kCodes) {
    if (name == code) return status;
  }
  return 0;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    out.push_back(item);
    pos = comma + 1;
  }
  return out;
}

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

std::string shown(const std::optional<std::string>& actual) {
  return actual ? "'" + *actual + "'" : "(none)";
}

// Compares `actual` (nullopt: absent) with `expected` under `op`.
Result<Check> compare(const std::string& op, const std::optional<std::string>& actual,
                      const std::string& expected, const std::string& what) {
  bool ok = false;
  std::string expectation;
  if (op == "equals") {
    ok = actual && *actual == expected;
    expectation = "'" + expected + "'";
  } else if (op == "notEquals") {
    ok = !actual || *actual != expected;
    expectation = "not '" + expected + "'";
  } else if (op == "in" || op == "notIn") {
    auto list = split_list(expected);
    bool found = actual && std::find(list.begin(), list.end(), *actual) != list.end();
    ok = op == "in" ? found : !found;
    expectation = (op == "in" ? "one of [" : "none of [") + expected + "]";
  } else if (op == "greaterThan" || op == "lessThan") {
    if (actual) {
      auto a = number(*actual);
      auto e = number(expected);
      int cmp = (a && e) ? (*a < *e ? -1 : (*a > *e ? 1 : 0)) : actual->compare(expected);
      ok = op == "greaterThan" ? cmp > 0 : cmp < 0;
    }
    expectation = (op == "greaterThan" ? "greater than '" : "less than '") + expected + "'";
  } else if (op == "empty") {
    ok = !actual || actual->empty();
    expectation = "empty";
  } else if (op == "notEmpty") {
    ok = actual && !actual->empty();
    expectation = "not empty";
  } else if (op == "contains" || op == "notContains") {
    bool found = actual && actual->find(expected) != std::string::npos;
    ok = op == "contains" ? found : !found;
    expectation = (op == "contains" ? "containing '" : "not containing '") + expected + "'";
  } else if (op == "eval") {
    return Status(Code::kNotImplemented, "operator eval applies to expression asserts only");
  } else {
    return Status(Code::kNotImplemented, "unknown operator '" + op + "'");
  }
  return Check{.ok = ok,
               .message = what + " " + shown(actual) + (ok ? " is " : ", expected ") + expectation};
}

bool json_subset(const fhir::JsonValue& min, const fhir::JsonValue& actual, std::string path,
                 std::string& missing) {
  if (min.IsObject()) {
    if (!actual.IsObject()) {
      missing = path;
      return false;
    }
    for (const auto& m : min.GetObject()) {
      std::string name(m.name.GetString(), m.name.GetStringLength());
      if (path.empty() && (name == "id" || name == "meta" || name == "text")) continue;
      auto it = actual.FindMember(m.name);
      std::string child = path.empty() ? name : path + "." + name;
      if (it == actual.MemberEnd()) {
        missing = child;
        return false;
      }
      if (!json_subset(m.value, it->value, child, missing)) return false;
    }
    return true;
  }
  if (min.IsArray()) {
    if (!actual.IsArray()) {
      missing = path;
      return false;
    }
    for (const auto& want : min.GetArray()) {
      bool found = false;
      std::string ignored;
      for (const auto& have : actual.GetArray())
        found = found || json_subset(want, have, path, ignored);
      if (!found) {
        missing = path + "[" + fhir::write_json(want) + "]";
        return false;
      }
    }
    return true;
  }
  if (min == actual) return true;
  missing = path + " = " + fhir::write_json(min) + " (found " + fhir::write_json(actual) + ")";
  return false;
}

Result<fhir::fhirpath::Collection> evaluate_on(const std::string& text, const Fixture& fixture,
                                               ScriptState& state) {
  auto substituted = state.substitute(text);
  if (!substituted) return substituted.status();
  auto expr = fhir::fhirpath::compile(*substituted);
  if (!expr) return expr.status();
  if (!fixture.resource) {
    return Status(Code::kNotFound,
                  "no resource to evaluate '" + *substituted + "' on" +
                      (fixture.body_error.empty() ? "" : ": " + fixture.body_error));
  }
  return fhir::fhirpath::evaluate(*expr, *fixture.resource);
}

// `text` is the expression (or the translated path); `other_text` the compareToSource one.
Result<Check> check_expression(const fhir::JsonValue& a, const std::string& text,
                               std::string other_text, const Fixture& target, const std::string& op,
                               ScriptState& state) {
  auto items = evaluate_on(text, target, state);
  if (!items) return items.status();
  std::string what = "expression " + text;
  bool has_value = a.HasMember("value");
  std::string compare_id = string_member(a, "compareToSourceId");
  bool explicit_op = a.HasMember("operator");
  if (op == "eval" || (!explicit_op && !has_value && compare_id.empty())) {
    auto b = fhir::fhirpath::as_boolean(*items);
    if (!b) return b.status();
    bool ok = b->value_or(false);
    return Check{
        .ok = ok,
        .message = what + (ok ? " is true" : (b->has_value() ? " is false" : " is empty"))};
  }
  if (op == "empty" || op == "notEmpty") {
    bool ok = items->empty() == (op == "empty");
    return Check{.ok = ok,
                 .message = what + " gave " + std::to_string(items->size()) +
                            " item(s), expected " + (op == "empty" ? "none" : "some")};
  }
  std::string expected;
  if (!compare_id.empty()) {
    Fixture* other = state.find(compare_id);
    if (other == nullptr) return Status(Code::kInvalidArgument, "no fixture '" + compare_id + "'");
    if (other_text.empty()) other_text = text;
    auto other_items = evaluate_on(other_text, *other, state);
    if (!other_items) return other_items.status();
    if (!other_items->empty()) expected = item_text((*other_items)[0]);
    what += " vs " + compare_id + "." + other_text + " ('" + expected + "')";
  } else {
    auto v = state.substitute(string_member(a, "value"));
    if (!v) return v.status();
    expected = *v;
  }
  std::optional<std::string> actual;
  if (!items->empty()) actual = item_text((*items)[0]);
  return compare(op, actual, expected, what);
}

Result<Check> check_content_type(const std::string& want, const Fixture& target,
                                 const std::string& op) {
  const std::string* header = find_header(target.headers, "Content-Type");
  std::string media = header ? header->substr(0, header->find(';')) : "";
  bool match =
      (want == "json" || want == "xml") ? media.find(want) != std::string::npos : media == want;
  if (op != "equals" && op != "notEquals") {
    return Status(Code::kNotImplemented, "operator " + op + " with contentType");
  }
  bool ok = op == "equals" ? match : !match;
  return Check{.ok = ok,
               .message = "Content-Type '" + media + (ok ? "' matches " : "' does not match ") +
                          (op == "equals" ? "" : "not ") + want};
}

Result<Check> check_navigation_links(const Fixture& target) {
  if (!target.resource || target.resource_type() != "Bundle") {
    return Check{.ok = false, .message = "navigationLinks: the response is not a Bundle"};
  }
  std::vector<std::string> relations;
  for (const auto* link : object_array(*target.resource, "link"))
    relations.push_back(string_member(*link, "relation"));
  std::string missing;
  for (const char* want : {"first", "last"}) {
    if (std::find(relations.begin(), relations.end(), want) == relations.end())
      missing += std::string(" ") + want;
  }
  if (!missing.empty())
    return Check{.ok = false, .message = "navigationLinks: Bundle.link lacks" + missing};
  return Check{.ok = true, .message = "navigationLinks: Bundle has first and last links"};
}

Result<Check> check_minimum(const std::string& fixture_id, const Fixture& target,
                            ScriptState& state) {
  Fixture* min = state.find(fixture_id);
  if (min == nullptr || !min->resource) {
    return Status(Code::kInvalidArgument,
                  "minimumId: no fixture '" + fixture_id + "' with a resource");
  }
  if (!target.resource)
    return Check{.ok = false, .message = "minimumId: no resource in the response"};
  std::string missing;
  bool ok = json_subset(*min->resource, *target.resource, "", missing);
  return Check{.ok = ok,
               .message = ok ? "minimumId: every element of " + fixture_id + " is present"
                             : "minimumId " + fixture_id + ": missing " + missing};
}

// The resource type whose base StructureDefinition `url` is
// ("http://hl7.org/fhir/StructureDefinition/Patient", optionally "|4.0.1"), or "".
std::string base_profile_type(std::string_view url) {
  constexpr std::string_view kBase = "http://hl7.org/fhir/StructureDefinition/";
  if (!url.starts_with(kBase)) return "";
  std::string_view type = url.substr(kBase.size());
  type = type.substr(0, type.find('|'));
  return fhir::is_resource_type(type) ? std::string(type) : "";
}

// validateProfileId: the TestScript.profile entry `profile_id` must name the base
// StructureDefinition of an R4 resource type; the target is validated by fhir/validate.h
// against that type. Any other profile URL is kNotImplemented (reported as skipped).
Result<Check> check_profile(const std::string& profile_id, const Fixture& target,
                            ScriptState& state) {
  std::string url;
  bool found = false;
  for (const auto* p : object_array(state.script(), "profile")) {
    if (string_member(*p, "id") != profile_id) continue;
    found = true;
    url = string_member(*p, "reference");
  }
  if (!found)
    return Status(Code::kInvalidArgument,
                  "validateProfileId: no TestScript.profile '" + profile_id + "'");
  std::string type = base_profile_type(url);
  if (type.empty()) {
    return Status(Code::kNotImplemented,
                  "validateProfileId: profile '" + url +
                      "' is not the base StructureDefinition of an R4 resource type "
                      "(only those are validated)");
  }
  if (!target.resource) {
    return Check{.ok = false,
                 .message = "validateProfileId " + profile_id + ": no resource to validate" +
                            (target.body_error.empty() ? "" : " (" + target.body_error + ")")};
  }
  Status valid = fhir::validate_resource(*target.resource, type);
  if (valid.is_ok()) return Check{.ok = true, .message = "the resource conforms to " + url};
  std::string issues;
  for (std::size_t i = 0; i < valid.issues().size() && i < 3; ++i) {
    const Issue& issue = valid.issues()[i];
    issues += (i ? "; " : "") + (issue.expression.empty() ? "" : issue.expression + ": ") +
              issue.diagnostics;
  }
  if (valid.issues().size() > 3)
    issues += "; ... (" + std::to_string(valid.issues().size()) + " issues)";
  return Check{.ok = false, .message = "the resource does not conform to " + url + ": " + issues};
}

// The FHIRPath of an assert's `expression_key`, else its `path_key` translated from XPath; ""
// when it has neither. kNotImplemented for a path outside the XPath subset.
Result<std::string> expression_of(const fhir::JsonValue& a, const char* expression_key,
                                  const char* path_key) {
  std::string text = string_member(a, expression_key);
  if (!text.empty() || !a.HasMember(path_key)) return text;
  auto translated = xpath_to_fhirpath(string_member(a, path_key));
  if (!translated) {
    return Status(Code::kNotImplemented, std::string(path_key) + " '" + string_member(a, path_key) +
                                             "' is outside the supported XPath subset; use " +
                                             expression_key);
  }
  return *translated;
}

// The checks on the response status line and headers: response, responseCode, contentType,
// headerField, resource.
void response_checks(const fhir::JsonValue& a, const Fixture& target, const std::string& op,
                     ScriptState& state, std::vector<Result<Check>>& checks) {
  if (a.HasMember("response")) {
    std::string code = string_member(a, "response");
    int status = response_status(code);
    checks.push_back(
        status == 0
            ? Result<Check>(Status(Code::kNotImplemented, "unknown response code '" + code + "'"))
            : compare(op, std::to_string(target.status), std::to_string(status),
                      "response status (" + code + ")"));
  }
  if (a.HasMember("responseCode")) {
    std::string want = string_member(a, "responseCode");
    std::string effective = (op == "equals" && want.find(',') != std::string::npos) ? "in" : op;
    checks.push_back(compare(effective, std::to_string(target.status), want, "response status"));
  }
  if (a.HasMember("contentType"))
    checks.push_back(check_content_type(string_member(a, "contentType"), target, op));
  if (a.HasMember("headerField")) {
    std::string field = string_member(a, "headerField");
    const std::string* h = find_header(target.headers, field);
    auto v = state.substitute(string_member(a, "value"));
    checks.push_back(
        !v ? Result<Check>(v.status())
           : compare(op, h ? std::optional<std::string>(*h) : std::nullopt, *v, "header " + field));
  }
  if (a.HasMember("resource")) {
    std::string type = target.resource_type();
    checks.push_back(compare(op, type.empty() ? std::nullopt : std::optional<std::string>(type),
                             string_member(a, "resource"), "resource type"));
  }
}

// The checks on the request that was sent: requestMethod, requestURL.
void request_checks(const fhir::JsonValue& a, const Fixture& target, const std::string& op,
                    ScriptState& state, std::vector<Result<Check>>& checks) {
  if (a.HasMember("requestMethod")) {
    std::string method = target.request.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    checks.push_back(compare(op, method, string_member(a, "requestMethod"), "request method"));
  }
  if (a.HasMember("requestURL")) {
    auto want = state.substitute(string_member(a, "requestURL"));
    if (!want) {
      checks.push_back(want.status());
      return;
    }
    std::string url = target.request.url;
    // A relative requestURL compares with the end of the absolute URL that was sent.
    if (op == "equals" && url.size() > want->size() && url.ends_with("/" + *want)) url = *want;
    checks.push_back(compare(op, url, *want, "request URL"));
  }
}

// The checks on the body: minimumId, navigationLinks, expression/path (with compareToSource).
void body_checks(const fhir::JsonValue& a, const Fixture& target, const std::string& op,
                 ScriptState& state, std::vector<Result<Check>>& checks) {
  if (a.HasMember("minimumId"))
    checks.push_back(check_minimum(string_member(a, "minimumId"), target, state));
  if (a.HasMember("validateProfileId")) {
    checks.push_back(check_profile(string_member(a, "validateProfileId"), target, state));
  }
  if (bool_member(a, "navigationLinks")) checks.push_back(check_navigation_links(target));
  if (a.HasMember("expression") || a.HasMember("path") ||
      a.HasMember("compareToSourceExpression") || a.HasMember("compareToSourcePath")) {
    auto text = expression_of(a, "expression", "path");
    auto other = expression_of(a, "compareToSourceExpression", "compareToSourcePath");
    if (!text || !other) {
      checks.push_back(!text ? text.status() : other.status());
      return;
    }
    // Only a compareToSource expression: the same expression is evaluated on both sides.
    if (text->empty()) *text = *other;
    checks.push_back(check_expression(a, *text, *other, target, op, state));
  }
}

// Runs every check the assert names; the first error or failure decides.
Result<Check> run_checks(const fhir::JsonValue& a, const Fixture& target, ScriptState& state) {
  std::string op = string_member(a, "operator");
  if (op.empty()) op = "equals";
  std::vector<Result<Check>> checks;
  response_checks(a, target, op, state, checks);
  request_checks(a, target, op, state, checks);
  body_checks(a, target, op, state, checks);
  if (checks.empty()) {
    if (a.HasMember("navigationLinks"))
      return Check{.ok = true, .message = "navigationLinks not validated (false)"};
    return Status(Code::kNotImplemented, "assert names no check the runner knows");
  }
  for (auto& c : checks) {
    if (!c) return c.status();
  }
  std::string messages;
  for (auto& c : checks) {
    if (!c->ok) return c;
    messages += (messages.empty() ? "" : "; ") + c->message;
  }
  return Check{.ok = true, .message = messages};
}

}  // namespace

ActionResult run_assert(const fhir::JsonValue& a, ScriptState& state) {
  ActionResult r;
  r.is_operation = false;
  r.label = string_member(a, "label");
  if (r.label.empty()) r.label = string_member(a, "description");
  if (r.label.empty()) r.label = "assert";
  auto skip = [&r](std::string why) {
    r.outcome = Outcome::kSkip;
    r.message = "unsupported: " + std::move(why);
    return r;
  };
  for (const auto& name : unknown_members(a, kKnownMembers))
    return skip("unknown assert element '" + name + "'");
  if (a.HasMember("modifierExtension")) return skip("assert has a modifierExtension");

  std::string source_id = string_member(a, "sourceId");
  const Fixture* target = nullptr;
  Fixture request_view;
  if (!source_id.empty()) {
    target = state.find(source_id);
  } else {
    target = state.last();
  }
  if (target != nullptr && string_member(a, "direction") == "request") {
    const std::string* ct = find_header(target->request.headers, "Content-Type");
    request_view = fixture_from_body(target->request.body, ct ? *ct : "");
    request_view.is_exchange = true;
    request_view.request = target->request;
    request_view.headers = target->request.headers;
    target = &request_view;
  }
  if (target == nullptr) {
    r.outcome = Outcome::kError;
    r.message = source_id.empty() ? "no operation ran before this assert"
                                  : "no fixture '" + source_id + "'";
    return r;
  }
  if (target->is_exchange) {
    r.request = request_line(target->request);
    r.status = target->status;
    r.response_excerpt = excerpt(target->raw_body);
  }
  auto check = run_checks(a, *target, state);
  if (!check) {
    Code code = check.status().code();
    r.outcome = code == Code::kNotImplemented ? Outcome::kSkip
                : code == Code::kNotFound     ? Outcome::kFail
                                              : Outcome::kError;
    r.message = (code == Code::kNotImplemented ? "unsupported: " : "") + check.status().message();
  } else {
    r.outcome = check->ok ? Outcome::kPass : Outcome::kFail;
    r.message = check->message;
  }
  if (r.outcome == Outcome::kFail && bool_member(a, "warningOnly")) r.outcome = Outcome::kWarning;
  return r;
}

}  // namespace hearth::conformance
