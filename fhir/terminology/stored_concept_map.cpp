// Reading a ConceptMap resource's groups into sorted mappings.
#include "fhir/terminology/stored_concept_map.h"

#include <algorithm>
#include <string>

#include "fhir/terminology/resource_fields.h"

namespace hearth::fhir::terminology {
namespace {

using detail::invalid_member;
using detail::string_member;

// The array `name` of `obj`, or nullptr when absent.
Result<const JsonValue*> array_of(const JsonValue& obj, const char* name,
                                  const std::string& where) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return static_cast<const JsonValue*>(nullptr);
  if (!it->value.IsArray())
    return invalid_member(std::string(name) + " must be an array", where + "." + name);
  return &it->value;
}

// A canonical URL, possibly in a `sourceUri`/`sourceCanonical` choice.
std::string_view canonical(const JsonValue& map, const char* prefix) {
  for (const char* suffix : {"Uri", "Canonical"}) {
    std::string key = std::string(prefix) + suffix;
    std::string_view v = string_member(map, key.c_str());
    if (!v.empty()) return v.substr(0, v.find('|'));
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<const CompiledConceptMap>> compile_concept_map(const JsonValue& resource) {
  if (!resource.IsObject() || string_member(resource, "resourceType") != "ConceptMap") {
    return invalid_member("not a ConceptMap", "ConceptMap");
  }
  std::shared_ptr<CompiledConceptMap> out(new CompiledConceptMap());
  out->doc_.CopyFrom(resource, out->doc_.GetAllocator());
  const JsonValue& doc = out->doc_;
  HEARTH_ASSIGN_OR_RETURN(const JsonValue* groups, array_of(doc, "group", "ConceptMap"));
  std::size_t total = 0;
  if (groups != nullptr) {
    if (groups->Size() > kMaxMapGroups) {
      return invalid_member("more than " + std::to_string(kMaxMapGroups) + " groups",
                            "ConceptMap.group");
    }
    out->mappings_.resize(groups->Size());
    for (rapidjson::SizeType g = 0; g < groups->Size(); ++g) {
      const JsonValue& group = (*groups)[g];
      std::string at = "ConceptMap.group[" + std::to_string(g) + "]";
      if (!group.IsObject()) return invalid_member("a group is not an object", at);
      HEARTH_ASSIGN_OR_RETURN(const JsonValue* elements, array_of(group, "element", at));
      std::vector<Mapping>& mappings = out->mappings_[g];
      for (rapidjson::SizeType e = 0; elements != nullptr && e < elements->Size(); ++e) {
        const JsonValue& element = (*elements)[e];
        std::string eat = at + ".element[" + std::to_string(e) + "]";
        std::string_view code = string_member(element, "code");
        if (code.empty()) return invalid_member("an element needs a code", eat + ".code");
        HEARTH_ASSIGN_OR_RETURN(const JsonValue* targets, array_of(element, "target", eat));
        if (targets == nullptr || targets->Empty()) {
          if (++total > kMaxMapMappings) break;
          mappings.push_back({code, {}, {}, "unmatched"});
          continue;
        }
        for (const JsonValue& t : targets->GetArray()) {
          if (++total > kMaxMapMappings) break;
          mappings.push_back({code, string_member(t, "code"), string_member(t, "display"),
                              string_member(t, "equivalence")});
        }
      }
      if (total > kMaxMapMappings) {
        return invalid_member("more than " + std::to_string(kMaxMapMappings) + " mappings", at);
      }
      std::stable_sort(mappings.begin(), mappings.end(), [](const Mapping& a, const Mapping& b) {
        return a.source_code < b.source_code;
      });
      out->groups_.push_back(ConceptMapGroup{string_member(group, "source"),
                                             string_member(group, "target"), mappings});
    }
  }
  std::string_view url = string_member(doc, "url");
  out->view_ = ConceptMap{url.substr(0, url.find('|')),  string_member(doc, "name"),
                          string_member(doc, "version"), canonical(doc, "source"),
                          canonical(doc, "target"),      out->groups_};
  return std::shared_ptr<const CompiledConceptMap>(std::move(out));
}

}  // namespace hearth::fhir::terminology
