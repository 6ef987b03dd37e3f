// Reading the official package with RapidJSON. Only the fields the tables use are read; files
// are taken by name prefix and checked by resourceType.
#include "tools/fhir_codegen/package_reader.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace hearth::codegen {
namespace {

using rapidjson::Value;

constexpr std::string_view kFhirTypeExt =
    "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type";
constexpr std::string_view kRegexExt = "http://hl7.org/fhir/StructureDefinition/regex";
constexpr std::string_view kSystemPrefix = "http://hl7.org/fhirpath/System.";

std::string str(const Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

bool boolean(const Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

std::vector<std::string> strings(const Value& obj, const char* key) {
  std::vector<std::string> out;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsArray()) return out;
  for (const Value& v : it->value.GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

std::string last_segment(std::string_view url) {
  auto slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

// The value of extension `url` (valueUrl/valueString/valueUri) on `obj`, or "".
std::string extension_value(const Value& obj, std::string_view url) {
  auto it = obj.FindMember("extension");
  if (it == obj.MemberEnd() || !it->value.IsArray()) return {};
  for (const Value& ext : it->value.GetArray()) {
    if (str(ext, "url") != url) continue;
    for (const char* key : {"valueUrl", "valueString", "valueUri"}) {
      std::string v = str(ext, key);
      if (!v.empty()) return v;
    }
  }
  return {};
}

Result<rapidjson::Document> load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return Status(Code::kMalformed, "not a JSON object: " + file.string());
  }
  return doc;
}

// R4 4.0.1 types Resource.id (and so every resource's root id) as System.String with fhir-type
// "string", while resource.html defines it as the `id` datatype; the tables follow resource.html.
RawElement read_element(const Value& e, bool primitive_value, bool resource_id) {
  RawElement out;
  out.path = str(e, "path");
  out.min = e.HasMember("min") && e["min"].IsUint() ? e["min"].GetUint() : 0;
  std::string max = str(e, "max");
  out.max =
      max == "*" ? 0xFFFFFFFFu : static_cast<std::uint32_t>(std::stoul(max.empty() ? "1" : max));
  out.content_reference = str(e, "contentReference");
  out.summary = boolean(e, "isSummary");
  out.modifier = boolean(e, "isModifier");
  for (const std::string& rep : strings(e, "representation")) {
    if (rep == "xmlAttr") out.xml_attr = true;
    if (rep == "xhtml") out.xhtml = true;
  }
  if (auto it = e.FindMember("type"); it != e.MemberEnd() && it->value.IsArray()) {
    for (const Value& t : it->value.GetArray()) {
      RawTypeRef ref;
      ref.code = str(t, "code");
      std::string fhir_type = extension_value(t, kFhirTypeExt);
      if (!primitive_value && ref.code.starts_with(kSystemPrefix) && !fhir_type.empty()) {
        ref.code = fhir_type;
      }
      for (const std::string& target : strings(t, "targetProfile")) {
        ref.targets.push_back(last_segment(target));
      }
      if (resource_id) ref.code = "id";
      // R4 marks no element with the "xhtml" representation; Narrative.div is recognised by its
      // type, so kElementXhtml means what model.h says.
      if (ref.code == "xhtml") out.xhtml = true;
      out.types.push_back(std::move(ref));
    }
  }
  if (auto it = e.FindMember("binding"); it != e.MemberEnd() && it->value.IsObject()) {
    out.binding_strength = str(it->value, "strength");
    out.value_set = str(it->value, "valueSet");
  }
  if (auto it = e.FindMember("constraint"); it != e.MemberEnd() && it->value.IsArray()) {
    for (const Value& c : it->value.GetArray()) {
      out.constraints.push_back(RawConstraint{str(c, "key"), str(c, "severity"), str(c, "human"),
                                              str(c, "expression"), str(c, "source")});
    }
  }
  return out;
}

bool wanted_structure(const Value& doc) {
  std::string kind = str(doc, "kind");
  std::string derivation = str(doc, "derivation");
  if (kind != "primitive-type" && kind != "complex-type" && kind != "resource") return false;
  return derivation.empty() || derivation == "specialization";
}

Result<RawType> read_structure(const Value& doc) {
  RawType type;
  type.name = str(doc, "type");
  type.kind = str(doc, "kind");
  type.is_abstract = boolean(doc, "abstract");
  type.url = str(doc, "url");
  std::string base = str(doc, "baseDefinition");
  if (!base.empty()) type.base = last_segment(base);
  auto snap = doc.FindMember("snapshot");
  if (snap == doc.MemberEnd() || !snap->value.HasMember("element")) {
    return Status(Code::kMalformed, "no snapshot in StructureDefinition " + type.name);
  }
  const std::string value_path = type.name + ".value";
  const std::string id_path = type.name + ".id";
  for (const Value& e : snap->value["element"].GetArray()) {
    bool primitive_value = type.kind == "primitive-type" && str(e, "path") == value_path;
    bool resource_id = type.kind == "resource" && str(e, "path") == id_path;
    type.elements.push_back(read_element(e, primitive_value, resource_id));
    if (primitive_value && e.HasMember("type") && e["type"].IsArray() && !e["type"].Empty()) {
      type.regex = extension_value(e["type"][0], kRegexExt);
    }
  }
  return type;
}

RawSearchParam read_search_param(const Value& doc) {
  RawSearchParam p;
  p.id = str(doc, "id");
  p.url = str(doc, "url");
  p.name = str(doc, "name");
  p.code = str(doc, "code");
  p.type = str(doc, "type");
  p.expression = str(doc, "expression");
  p.xpath = str(doc, "xpath");
  p.xpath_usage = str(doc, "xpathUsage");
  p.base = strings(doc, "base");
  p.target = strings(doc, "target");
  if (auto it = doc.FindMember("component"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const Value& c : it->value.GetArray()) {
      p.components.emplace_back(str(c, "definition"), str(c, "expression"));
    }
  }
  return p;
}

RawCompartment read_compartment(const Value& doc) {
  RawCompartment c;
  c.code = str(doc, "code");
  if (auto it = doc.FindMember("resource"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const Value& r : it->value.GetArray()) {
      c.resources.emplace_back(str(r, "code"), strings(r, "param"));
    }
  }
  return c;
}

std::string without_version(std::string url) {
  auto bar = url.find('|');
  if (bar != std::string::npos) url.resize(bar);
  return url;
}

std::vector<RawInclude> read_includes(const Value& compose, const char* key) {
  std::vector<RawInclude> out;
  auto it = compose.FindMember(key);
  if (it == compose.MemberEnd() || !it->value.IsArray()) return out;
  for (const Value& inc : it->value.GetArray()) {
    RawInclude r;
    r.system = str(inc, "system");
    for (std::string& vs : strings(inc, "valueSet")) r.value_sets.push_back(without_version(vs));
    if (auto c = inc.FindMember("concept"); c != inc.MemberEnd() && c->value.IsArray()) {
      for (const Value& item : c->value.GetArray()) {
        r.concepts.push_back(str(item, "code"));
        r.concept_displays.push_back(str(item, "display"));
      }
    }
    if (auto f = inc.FindMember("filter"); f != inc.MemberEnd() && f->value.IsArray()) {
      for (const Value& item : f->value.GetArray()) {
        r.filters.push_back(RawFilter{str(item, "property"), str(item, "op"), str(item, "value")});
      }
    }
    r.has_filter = !r.filters.empty();
    out.push_back(std::move(r));
  }
  return out;
}

RawValueSet read_value_set(const Value& doc) {
  RawValueSet vs;
  vs.url = str(doc, "url");
  vs.name = str(doc, "name");
  vs.title = str(doc, "title");
  vs.version = str(doc, "version");
  vs.status = str(doc, "status");
  if (auto it = doc.FindMember("compose"); it != doc.MemberEnd() && it->value.IsObject()) {
    vs.include = read_includes(it->value, "include");
    vs.exclude = read_includes(it->value, "exclude");
  }
  return vs;
}

// Reads the concept's properties that the terminology tables keep.
void read_concept_properties(const Value& c, RawConcept& out) {
  auto it = c.FindMember("property");
  if (it == c.MemberEnd() || !it->value.IsArray()) return;
  for (const Value& p : it->value.GetArray()) {
    std::string code = str(p, "code");
    if ((code == "notSelectable" || code == "abstract") && boolean(p, "valueBoolean")) {
      out.not_selectable = true;
    }
    std::string status = str(p, "valueCode");
    if (code == "status" && (status == "deprecated" || status == "retired")) {
      out.inactive = true;
    }
  }
}

void add_concepts(const Value& owner, std::int32_t parent, RawCodeSystem& cs) {
  auto it = owner.FindMember("concept");
  if (it == owner.MemberEnd() || !it->value.IsArray()) return;
  for (const Value& c : it->value.GetArray()) {
    auto index = static_cast<std::int32_t>(cs.concepts.size());
    RawConcept item;
    item.code = str(c, "code");
    item.display = str(c, "display");
    item.parent = parent;
    read_concept_properties(c, item);
    cs.codes.push_back(item.code);
    cs.concepts.push_back(std::move(item));
    add_concepts(c, index, cs);
    cs.concepts[index].subtree_end = static_cast<std::uint32_t>(cs.concepts.size());
  }
}

// The property codes naming a parent or a child: `parent` and `child` unless declared with another
// uri, and any code declared with the concept-properties uri of either.
void link_codes(const Value& doc, std::set<std::string>& parent, std::set<std::string>& child) {
  parent = {"parent"};
  child = {"child"};
  auto it = doc.FindMember("property");
  if (it == doc.MemberEnd() || !it->value.IsArray()) return;
  for (const Value& p : it->value.GetArray()) {
    std::string code = str(p, "code"), uri = str(p, "uri");
    if (code.empty() || uri.empty()) continue;
    parent.erase(code);
    child.erase(code);
    if (uri == "http://hl7.org/fhir/concept-properties#parent") parent.insert(code);
    if (uri == "http://hl7.org/fhir/concept-properties#child") child.insert(code);
  }
}

// The links of every concept's parent/child properties, in document order (the order
// add_concepts() numbered the concepts in).
void add_links(const Value& owner, const std::set<std::string>& parent_codes,
               const std::set<std::string>& child_codes,
               const std::map<std::string, std::uint32_t>& index, std::uint32_t& next,
               RawCodeSystem& cs) {
  auto it = owner.FindMember("concept");
  if (it == owner.MemberEnd() || !it->value.IsArray()) return;
  for (const Value& c : it->value.GetArray()) {
    const std::uint32_t self = next++;
    if (auto props = c.FindMember("property"); props != c.MemberEnd() && props->value.IsArray()) {
      for (const Value& p : props->value.GetArray()) {
        std::string code = str(p, "code");
        bool names_parent = parent_codes.count(code) != 0;
        if (!names_parent && child_codes.count(code) == 0) continue;
        auto other = index.find(str(p, "valueCode"));
        if (other == index.end()) continue;
        cs.links.emplace_back(names_parent ? other->second : self,
                              names_parent ? self : other->second);
      }
    }
    add_links(c, parent_codes, child_codes, index, next, cs);
  }
}

RawCodeSystem read_code_system(const Value& doc) {
  RawCodeSystem cs;
  cs.url = str(doc, "url");
  cs.name = str(doc, "name");
  cs.title = str(doc, "title");
  cs.version = str(doc, "version");
  cs.content = str(doc, "content");
  cs.case_sensitive = !doc.HasMember("caseSensitive") || boolean(doc, "caseSensitive");
  add_concepts(doc, -1, cs);
  std::set<std::string> parent_codes, child_codes;
  link_codes(doc, parent_codes, child_codes);
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < cs.codes.size(); ++i) index.emplace(cs.codes[i], i);
  std::uint32_t next = 0;
  add_links(doc, parent_codes, child_codes, index, next, cs);
  return cs;
}

RawConceptMap read_concept_map(const Value& doc) {
  RawConceptMap cm;
  cm.url = str(doc, "url");
  cm.name = str(doc, "name");
  cm.version = str(doc, "version");
  cm.source = without_version(str(doc, "sourceUri").empty() ? str(doc, "sourceCanonical")
                                                            : str(doc, "sourceUri"));
  cm.target = without_version(str(doc, "targetUri").empty() ? str(doc, "targetCanonical")
                                                            : str(doc, "targetUri"));
  auto groups = doc.FindMember("group");
  if (groups == doc.MemberEnd() || !groups->value.IsArray()) return cm;
  for (const Value& g : groups->value.GetArray()) {
    RawConceptMapGroup group;
    group.source = without_version(str(g, "source"));
    group.target = without_version(str(g, "target"));
    auto elements = g.FindMember("element");
    if (elements == g.MemberEnd() || !elements->value.IsArray()) continue;
    for (const Value& e : elements->value.GetArray()) {
      auto targets = e.FindMember("target");
      if (targets == e.MemberEnd() || !targets->value.IsArray()) continue;
      for (const Value& t : targets->value.GetArray()) {
        group.mappings.push_back(
            RawMapping{str(e, "code"), str(t, "code"), str(t, "display"), str(t, "equivalence")});
      }
    }
    cm.groups.push_back(std::move(group));
  }
  return cm;
}

}  // namespace

Result<Package> read_package(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status(Code::kNotFound, "package directory not found: " + dir.string());
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // directory order is not deterministic

  Package package;
  for (const auto& file : files) {
    std::string name = file.filename().string();
    bool sd = name.starts_with("StructureDefinition-");
    bool sp = name.starts_with("SearchParameter-");
    bool cd = name.starts_with("CompartmentDefinition-");
    bool vs = name.starts_with("ValueSet-");
    bool cs = name.starts_with("CodeSystem-");
    bool cm = name.starts_with("ConceptMap-");
    if (!(sd || sp || cd || vs || cs || cm) || file.extension() != ".json") continue;
    Result<rapidjson::Document> doc = load(file);
    if (!doc) return doc.status();
    std::string resource_type = str(*doc, "resourceType");
    if (sd && resource_type == "StructureDefinition" && wanted_structure(*doc)) {
      Result<RawType> type = read_structure(*doc);
      if (!type) return type.status();
      package.types.push_back(std::move(*type));
    } else if (sp && resource_type == "SearchParameter") {
      package.search_params.push_back(read_search_param(*doc));
    } else if (cd && resource_type == "CompartmentDefinition") {
      package.compartments.push_back(read_compartment(*doc));
    } else if (vs && resource_type == "ValueSet") {
      package.value_sets.push_back(read_value_set(*doc));
    } else if (cs && resource_type == "CodeSystem") {
      package.code_systems.push_back(read_code_system(*doc));
    } else if (cm && resource_type == "ConceptMap") {
      package.concept_maps.push_back(read_concept_map(*doc));
    }
  }
  return package;
}

}  // namespace hearth::codegen
