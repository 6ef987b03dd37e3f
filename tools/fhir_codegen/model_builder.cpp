// Building the table shapes from the raw package; see model_builder.h.
#include "tools/fhir_codegen/model_builder.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "fhir/model.h"

namespace hearth::codegen {
namespace {

Result<Type> build_type(RawType raw) {
  Type type;
  type.name = raw.name;
  type.kind = raw.kind;
  type.base = raw.base;
  type.url = raw.url;
  type.regex = raw.regex;
  type.is_abstract = raw.is_abstract;
  const std::string prefix = raw.name + ".";
  for (RawElement& e : raw.elements) {
    Element out;
    if (e.path == raw.name) {
      out.name = raw.name;
    } else if (e.path.starts_with(prefix)) {
      out.path = e.path.substr(prefix.size());
      auto dot = out.path.rfind('.');
      out.name = dot == std::string::npos ? out.path : out.path.substr(dot + 1);
    } else {
      return Status(Code::kMalformed, "element " + e.path + " outside type " + raw.name);
    }
    out.min = e.min;
    out.max = e.max;
    out.types = std::move(e.types);
    out.content_reference = e.content_reference;
    out.binding_strength = e.binding_strength;
    out.value_set = e.value_set;
    for (RawConstraint& c : e.constraints) {
      if (c.severity != "error" || c.expression.empty()) continue;
      bool own = c.source.empty() || c.source == raw.url;
      if (e.path == raw.name || own) out.constraints.push_back(std::move(c));
    }
    if (out.name.ends_with("[x]")) out.flags |= fhir::kElementChoice;
    if (e.summary) out.flags |= fhir::kElementSummary;
    if (e.modifier) out.flags |= fhir::kElementModifier;
    if (e.xml_attr) out.flags |= fhir::kElementXmlAttr;
    if (e.xhtml) out.flags |= fhir::kElementXhtml;
    type.elements.push_back(std::move(out));
  }
  if (type.elements.empty() || !type.elements[0].path.empty()) {
    return Status(Code::kMalformed, "type " + raw.name + " has no root element");
  }
  // Depth-first order: a subtree ends at the first later element outside its path prefix.
  const std::size_t n = type.elements.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& path = type.elements[i].path;
    std::size_t j = i + 1;
    while (j < n && (path.empty() || type.elements[j].path.starts_with(path + "."))) ++j;
    type.elements[i].subtree_end = static_cast<std::uint32_t>(j);
    if (i > 0 && j > i + 1) type.elements[i].flags |= fhir::kElementBackbone;
  }
  for (Element& e : type.elements) {
    if (e.content_reference.empty()) continue;
    std::string target = e.content_reference.substr(e.content_reference.find('#') + 1);
    if (!target.starts_with(prefix)) {
      return Status(Code::kMalformed,
                    "contentReference " + e.content_reference + " in " + raw.name);
    }
    target = target.substr(prefix.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (type.elements[i].path == target) e.content_ref_index = static_cast<std::int32_t>(i);
    }
    if (e.content_ref_index < 0) {
      return Status(Code::kMalformed, "unresolved contentReference " + e.content_reference);
    }
  }
  return type;
}

}  // namespace

Result<Tables> build_tables(Package package) {
  Tables tables;
  for (RawType& raw : package.types) {
    Result<Type> type = build_type(std::move(raw));
    if (!type) return type.status();
    if (type->kind == "resource" && !type->is_abstract) tables.resource_types.push_back(type->name);
    tables.types.push_back(std::move(*type));
  }
  std::sort(tables.types.begin(), tables.types.end(),
            [](const Type& a, const Type& b) { return a.name < b.name; });

  std::vector<std::string> required;
  for (const Type& type : tables.types) {
    for (const Element& e : type.elements) {
      if (e.binding_strength == "required" && !e.value_set.empty()) required.push_back(e.value_set);
    }
  }
  tables.value_sets = expand_value_sets(package, required);
  std::map<std::string, std::int32_t> vs_index;
  for (const ExpandedValueSet& vs : tables.value_sets) {
    vs_index.emplace(vs.url, static_cast<std::int32_t>(vs_index.size()));
  }
  for (Type& type : tables.types) {
    for (Element& e : type.elements) {
      if (e.binding_strength != "required" || e.value_set.empty()) continue;
      e.value_set_index = vs_index.at(e.value_set.substr(0, e.value_set.find('|')));
    }
  }
  std::sort(tables.resource_types.begin(), tables.resource_types.end());

  tables.search_params = std::move(package.search_params);
  std::sort(tables.search_params.begin(), tables.search_params.end(),
            [](const RawSearchParam& a, const RawSearchParam& b) { return a.id < b.id; });
  for (std::size_t i = 0; i < tables.search_params.size(); ++i) {
    for (const std::string& base : tables.search_params[i].base) {
      tables.search_index.push_back(IndexEntry{base, tables.search_params[i].code, i});
    }
  }
  std::sort(tables.search_index.begin(), tables.search_index.end(),
            [](const IndexEntry& a, const IndexEntry& b) {
              return std::tie(a.resource_type, a.code, a.param) <
                     std::tie(b.resource_type, b.code, b.param);
            });

  for (RawCompartment& c : package.compartments) {
    for (auto& [type, params] : c.resources) {
      tables.compartments.push_back(CompartmentRow{c.code, type, std::move(params)});
    }
  }
  std::sort(tables.compartments.begin(), tables.compartments.end(),
            [](const CompartmentRow& a, const CompartmentRow& b) {
              return std::tie(a.compartment, a.resource_type) <
                     std::tie(b.compartment, b.resource_type);
            });
  return tables;
}

}  // namespace hearth::codegen
