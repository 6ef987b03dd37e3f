// Required-binding checks over the JSON shapes of code, Coding and CodeableConcept.
#include "fhir/binding_check.h"

#include "fhir/terminology/expansion_cache.h"

namespace hearth::fhir {
namespace {

std::string_view string_member(const JsonValue& obj, std::string_view name) {
  auto it = obj.FindMember(rapidjson::StringRef(name.data(), name.size()));
  if (it == obj.MemberEnd() || !is_json_string(it->value)) return {};
  return json_string(it->value);
}

std::string shown(std::string_view system, std::string_view code) {
  std::string out = "'";
  if (!system.empty()) out.append(system).append("#");
  return out.append(code.substr(0, 80)).append("'");
}

BindingProblem not_member(std::string_view system, std::string_view code, const ValueSetDef& vs) {
  return {Severity::kError, "the code " + shown(system, code) + " is not in the value set " +
                                std::string(vs.url) + ", which a required binding needs"};
}

BindingProblem unknown(std::string_view system, std::string_view code, const ValueSetDef& vs) {
  return {Severity::kWarning,
          "the code " + shown(system, code) + " is of a code system Hearth cannot check against " +
              "the value set " + std::string(vs.url) + " of a required binding"};
}

std::optional<BindingProblem> check_pair(std::string_view system, std::string_view code,
                                         const ValueSetDef& vs) {
  switch (check_code(vs, system, code)) {
    case Membership::kMember: return std::nullopt;
    case Membership::kNotMember: return not_member(system, code, vs);
    case Membership::kUnknown: return unknown(system, code, vs);
  }
  return std::nullopt;
}

std::optional<BindingProblem> check_codeable_concept(const JsonValue& value,
                                                     const ValueSetDef& vs) {
  auto codings = value.FindMember("coding");
  if (codings == value.MemberEnd() || !codings->value.IsArray()) return std::nullopt;
  bool any_unknown = false, any_of_system = false, any = false;
  std::string_view first_system, first_code;
  for (const JsonValue& coding : codings->value.GetArray()) {
    if (!coding.IsObject()) continue;
    std::string_view system = string_member(coding, "system");
    std::string_view code = string_member(coding, "code");
    if (code.empty()) continue;
    Membership m = check_code(vs, system, code);
    if (m == Membership::kMember) return std::nullopt;
    if (!any) {
      first_system = system;
      first_code = code;
      any = true;
    }
    any_unknown = any_unknown || m == Membership::kUnknown;
    any_of_system = any_of_system || system.empty() || uses_system(vs, system);
  }
  if (!any) return std::nullopt;
  if (any_of_system && !any_unknown) {
    return BindingProblem{Severity::kError, "no coding is in the value set " + std::string(vs.url) +
                                                ", which a required binding needs (first: " +
                                                shown(first_system, first_code) + ")"};
  }
  if (any_unknown) return unknown(first_system, first_code, vs);
  return BindingProblem{Severity::kWarning,
                        "no coding is of a system of the value set " + std::string(vs.url) +
                            " of a required binding (first: " + shown(first_system, first_code) +
                            ")"};
}

}  // namespace

std::optional<BindingProblem> check_binding(const JsonValue& value, std::string_view type_code,
                                            const ValueSetDef& vs) {
  if (type_code == "code") {
    if (!is_json_string(value)) return std::nullopt;
    return check_pair({}, json_string(value), vs);
  }
  if (!value.IsObject()) return std::nullopt;
  if (type_code == "Coding") {
    std::string_view code = string_member(value, "code");
    if (code.empty()) return std::nullopt;
    return check_pair(string_member(value, "system"), code, vs);
  }
  if (type_code == "CodeableConcept") return check_codeable_concept(value, vs);
  return std::nullopt;
}

std::optional<std::string> check_advisory_binding(const JsonValue& value,
                                                  std::string_view type_code,
                                                  std::string_view value_set_url,
                                                  BindingStrength strength) {
  const terminology::ExpansionIndex* vs = nullptr;
  auto outside = [&](std::string_view system, std::string_view code) -> std::optional<std::string> {
    if (vs->contains(system, code)) return std::nullopt;
    return "the code " + shown(system, code) + " is not in the value set " +
           std::string(value_set_url.substr(0, value_set_url.find('|'))) + " of " +
           (strength == BindingStrength::kExtensible ? "an extensible" : "a preferred") +
           " binding";
  };
  if (type_code == "code") {
    if (!is_json_string(value) || (vs = terminology::cached_expansion(value_set_url)) == nullptr) {
      return std::nullopt;
    }
    return outside({}, json_string(value));
  }
  if (!value.IsObject()) return std::nullopt;
  if (type_code == "Coding") {
    std::string_view code = string_member(value, "code");
    if (code.empty() || (vs = terminology::cached_expansion(value_set_url)) == nullptr) {
      return std::nullopt;
    }
    return outside(string_member(value, "system"), code);
  }
  if (type_code != "CodeableConcept") return std::nullopt;
  auto codings = value.FindMember("coding");
  if (codings == value.MemberEnd() || !codings->value.IsArray()) return std::nullopt;
  std::optional<std::string> first;
  for (const JsonValue& coding : codings->value.GetArray()) {
    if (!coding.IsObject()) continue;
    std::string_view code = string_member(coding, "code");
    if (code.empty()) continue;
    if (vs == nullptr && (vs = terminology::cached_expansion(value_set_url)) == nullptr) {
      return std::nullopt;
    }
    std::optional<std::string> problem = outside(string_member(coding, "system"), code);
    if (!problem) return std::nullopt;
    if (!first) first = std::move(problem);
  }
  return first;
}

}  // namespace hearth::fhir
