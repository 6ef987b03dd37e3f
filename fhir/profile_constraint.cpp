// Reading a differential element's constraints and evaluating them on a value.
#include "fhir/profile_constraint.h"

#include <algorithm>

#include "fhir/constraint.h"

namespace hearth::fhir {
namespace {

Status bad(std::string diagnostics, std::string where) {
  return Status(Code::kInvalidArgument, std::move(diagnostics), std::move(where), "invalid");
}

// Is `key` declared by the base definitions (evaluated by the base validation)?
bool is_base_key(std::string_view key) {
  std::span<const ConstraintDef> all = all_constraints();
  return std::any_of(all.begin(), all.end(), [&](const ConstraintDef& c) { return c.key == key; });
}

Result<std::string_view> text_member(const JsonValue& c, const char* name, std::size_t max,
                                     const std::string& where) {
  auto it = c.FindMember(name);
  if (it == c.MemberEnd() || !is_json_string(it->value) || json_string(it->value).empty()) {
    return bad(std::string("a constraint needs ") + name, where);
  }
  std::string_view s = json_string(it->value);
  if (s.size() > max) {
    return bad(std::string("the constraint's ") + name + " is longer than " + std::to_string(max) +
                   " bytes",
               where);
  }
  return s;
}

}  // namespace

Status read_profile_constraints(const JsonValue& element, std::string_view where,
                                std::vector<ProfileConstraint>& out) {
  auto list = element.FindMember("constraint");
  if (list == element.MemberEnd()) return Status::ok();
  if (!list->value.IsArray()) {
    return bad("constraint must be an array", std::string(where) + ".constraint");
  }
  if (list->value.Size() > kMaxElementConstraints) {
    return bad("more than " + std::to_string(kMaxElementConstraints) + " constraints",
               std::string(where) + ".constraint");
  }
  for (rapidjson::SizeType i = 0; i < list->value.Size(); ++i) {
    const JsonValue& c = list->value[i];
    std::string at = std::string(where) + ".constraint[" + std::to_string(i) + "]";
    if (!c.IsObject()) return bad("a constraint is not an object", at);
    HEARTH_ASSIGN_OR_RETURN(std::string_view key, text_member(c, "key", kMaxConstraintText, at));
    if (is_base_key(key)) continue;
    if (std::any_of(out.begin(), out.end(), [&](const auto& k) { return k.key == key; })) {
      continue;
    }
    HEARTH_ASSIGN_OR_RETURN(std::string_view severity,
                            text_member(c, "severity", kMaxConstraintText, at));
    if (severity != "error" && severity != "warning") {
      return bad("severity must be error or warning", at + ".severity");
    }
    HEARTH_ASSIGN_OR_RETURN(std::string_view human,
                            text_member(c, "human", kMaxConstraintText, at));
    HEARTH_ASSIGN_OR_RETURN(std::string_view expression,
                            text_member(c, "expression", kMaxConstraintExpression, at));
    Result<fhirpath::Expression> compiled = fhirpath::compile(expression);
    if (!compiled.is_ok()) {
      return bad("constraint " + std::string(key) +
                     ": the expression does not compile: " + compiled.status().message(),
                 at + ".expression");
    }
    ProfileConstraint& pc = out.emplace_back();
    pc.key = std::string(key);
    pc.severity = severity == "error" ? Severity::kError : Severity::kWarning;
    pc.human = std::string(human);
    pc.expression = std::string(expression);
    pc.compiled = std::make_shared<const fhirpath::Expression>(std::move(compiled).value());
  }
  return Status::ok();
}

void check_profile_constraints(std::span<const ProfileConstraint> constraints,
                               const ConstraintContext& context, std::vector<Issue>& issues,
                               std::size_t cap) {
  if (constraints.empty() || context.node.json == nullptr) return;
  const JsonValue& resource = context.resource != nullptr ? *context.resource : *context.node.json;
  fhirpath::EvalOptions options;
  options.strict = true;
  options.as_function_filters = true;
  options.root_resource = &resource;
  const std::string from = " (from " + std::string(context.profile_url) + ")";
  for (const ProfileConstraint& c : constraints) {
    if (issues.size() >= cap) return;
    Result<fhirpath::Collection> result =
        fhirpath::evaluate(*c.compiled, context.node, resource, options);
    Result<std::optional<bool>> b = result.is_ok() ? fhirpath::as_boolean(*result)
                                                   : Result<std::optional<bool>>(result.status());
    if (!b.is_ok()) {
      issues.push_back(
          Issue{Severity::kWarning, "invariant",
                c.key + ": could not be evaluated (" + b.status().message() + ")" + from,
                std::string(context.path)});
    } else if (!b->value_or(true)) {
      issues.push_back(
          Issue{c.severity, "invariant", c.key + ": " + c.human + from, std::string(context.path)});
    }
  }
}

}  // namespace hearth::fhir
