// Reading a compose from the built-in tables or a ValueSet resource.
#include "fhir/terminology/compose.h"

#include <string>

#include "fhir/terminology/resource_fields.h"

namespace hearth::fhir::terminology {
namespace {

using detail::invalid_member;
using detail::string_member;

std::string_view without_version(std::string_view url) {
  return url.substr(0, url.find('|'));
}

ComposeInclude include_of(const Include& inc) {
  ComposeInclude out;
  out.system = inc.system;
  for (const ComposeConcept& c : inc.concepts) out.concepts.emplace_back(code_of(c), display_of(c));
  out.filters.assign(inc.filters.begin(), inc.filters.end());
  out.value_sets.assign(inc.value_sets.begin(), inc.value_sets.end());
  return out;
}

// The array `name` of `obj` (absent: an empty array), at most `max` long.
Result<const JsonValue*> array_of(const JsonValue& obj, const char* name, std::size_t max,
                                  const std::string& where) {
  static const JsonValue kEmpty(rapidjson::kArrayType);
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return &kEmpty;
  if (!it->value.IsArray())
    return invalid_member(std::string(name) + " must be an array", where + "." + name);
  if (it->value.Size() > max) {
    return invalid_member("more than " + std::to_string(max) + " " + name, where + "." + name);
  }
  return &it->value;
}

Result<ComposeInclude> read_include(const JsonValue& inc, const std::string& where) {
  if (!inc.IsObject()) return invalid_member("an include is not an object", where);
  ComposeInclude out;
  out.system = string_member(inc, "system");
  HEARTH_ASSIGN_OR_RETURN(const JsonValue* concepts,
                          array_of(inc, "concept", kMaxComposeConcepts, where));
  for (rapidjson::SizeType i = 0; i < concepts->Size(); ++i) {
    std::string_view code = string_member((*concepts)[i], "code");
    if (code.empty()) {
      return invalid_member("a listed concept needs a code",
                            where + ".concept[" + std::to_string(i) + "].code");
    }
    out.concepts.emplace_back(code, string_member((*concepts)[i], "display"));
  }
  HEARTH_ASSIGN_OR_RETURN(const JsonValue* filters,
                          array_of(inc, "filter", kMaxComposeFilters, where));
  for (rapidjson::SizeType i = 0; i < filters->Size(); ++i) {
    const JsonValue& f = (*filters)[i];
    std::string at = where + ".filter[" + std::to_string(i) + "]";
    for (const char* key : {"property", "op", "value"}) {
      if (string_member(f, key).empty())
        return invalid_member(std::string("a filter needs ") + key, at + "." + key);
    }
    out.filters.push_back(
        Filter{string_member(f, "property"), string_member(f, "op"), string_member(f, "value")});
  }
  HEARTH_ASSIGN_OR_RETURN(const JsonValue* sets,
                          array_of(inc, "valueSet", kMaxComposeValueSets, where));
  for (const JsonValue& v : sets->GetArray()) {
    if (is_json_string(v)) out.value_sets.push_back(without_version(json_string(v)));
  }
  if (out.system.empty() && out.value_sets.empty()) {
    return invalid_member("an include names neither a system nor a value set", where);
  }
  if (out.system.empty() && (!out.concepts.empty() || !out.filters.empty())) {
    return invalid_member("concepts or filters without a system", where + ".system");
  }
  return out;
}

}  // namespace

Compose compose_of(const ValueSet& vs) {
  Compose out{vs.url, vs.name, vs.title, vs.version, vs.status, {}, {}};
  for (const Include& inc : vs.include) out.include.push_back(include_of(inc));
  for (const Include& exc : vs.exclude) out.exclude.push_back(include_of(exc));
  return out;
}

Result<Compose> read_compose(const JsonValue& value_set) {
  if (!value_set.IsObject() || string_member(value_set, "resourceType") != "ValueSet") {
    return invalid_member("not a ValueSet", "ValueSet");
  }
  Compose out;
  out.url = without_version(string_member(value_set, "url"));
  out.name = string_member(value_set, "name");
  out.title = string_member(value_set, "title");
  out.version = string_member(value_set, "version");
  out.status = string_member(value_set, "status");
  auto compose = value_set.FindMember("compose");
  if (compose == value_set.MemberEnd() || !compose->value.IsObject()) {
    return invalid_member("the value set has no compose to expand", "ValueSet.compose");
  }
  const std::string where = "ValueSet.compose";
  HEARTH_ASSIGN_OR_RETURN(const JsonValue* includes,
                          array_of(compose->value, "include", kMaxComposeIncludes, where));
  HEARTH_ASSIGN_OR_RETURN(const JsonValue* excludes,
                          array_of(compose->value, "exclude", kMaxComposeIncludes, where));
  if (includes->Size() + excludes->Size() > kMaxComposeIncludes) {
    return invalid_member(
        "more than " + std::to_string(kMaxComposeIncludes) + " includes and excludes", where);
  }
  for (rapidjson::SizeType i = 0; i < includes->Size(); ++i) {
    HEARTH_ASSIGN_OR_RETURN(
        ComposeInclude inc,
        read_include((*includes)[i], where + ".include[" + std::to_string(i) + "]"));
    out.include.push_back(std::move(inc));
  }
  for (rapidjson::SizeType i = 0; i < excludes->Size(); ++i) {
    HEARTH_ASSIGN_OR_RETURN(
        ComposeInclude exc,
        read_include((*excludes)[i], where + ".exclude[" + std::to_string(i) + "]"));
    out.exclude.push_back(std::move(exc));
  }
  return out;
}

}  // namespace hearth::fhir::terminology
