// Emitting C++: string literals escaped byte by byte, repeated name lists pooled once, arrays in
// dependency order (names, type refs, elements, types, search parameters, compartments).
#include "tools/fhir_codegen/cpp_writer.h"

#include <cstdio>
#include <map>
#include <string_view>

namespace hearth::codegen {
std::string cpp_literal(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);  // always 3 digits: never merges with next
      out += buf;
    }
  }
  // A `sv` literal has its length from the literal's type: no constexpr strlen per string,
  // which would exceed clang's constexpr step limit over tables this size.
  return out + "\"sv";
}

namespace {

std::string lit(std::string_view s) {
  return cpp_literal(s);
}

// A pool of string lists; identical lists are stored once.
class NamePool {
 public:
  std::string span(const std::vector<std::string>& names) {
    if (names.empty()) return "{}";
    auto [it, added] = offsets_.try_emplace(names, pool_.size());
    if (added) pool_.insert(pool_.end(), names.begin(), names.end());
    return "{kNames + " + std::to_string(it->second) + ", " + std::to_string(names.size()) + "}";
  }
  const std::vector<std::string>& pool() const { return pool_; }

 private:
  std::map<std::vector<std::string>, std::size_t> offsets_;
  std::vector<std::string> pool_;
};

std::string kind_enum(const std::string& kind) {
  if (kind == "primitive-type") return "TypeKind::kPrimitive";
  if (kind == "resource") return "TypeKind::kResource";
  return "TypeKind::kComplex";
}

std::string strength_enum(const std::string& s) {
  if (s == "required") return "BindingStrength::kRequired";
  if (s == "extensible") return "BindingStrength::kExtensible";
  if (s == "preferred") return "BindingStrength::kPreferred";
  if (s == "example") return "BindingStrength::kExample";
  return "BindingStrength::kNone";
}

std::string param_type_enum(const std::string& t) {
  static const std::map<std::string, std::string> kMap = {
      {"number", "kNumber"},       {"date", "kDate"},
      {"string", "kString"},       {"token", "kToken"},
      {"reference", "kReference"}, {"composite", "kComposite"},
      {"quantity", "kQuantity"},   {"uri", "kUri"},
      {"special", "kSpecial"}};
  auto it = kMap.find(t);
  return "SearchParamType::" + (it == kMap.end() ? std::string("kSpecial") : it->second);
}

std::string max_text(std::uint32_t max) {
  return max == 0xFFFFFFFFu ? "kUnbounded" : std::to_string(max);
}

}  // namespace

std::string write_model_tables(const Tables& t, const std::string& source) {
  NamePool names;
  std::string refs, elements, types, params, components, index, compartments, resources;
  std::size_t ref_count = 0, element_count = 0, component_count = 0;

  std::map<std::string, std::size_t> type_index;
  for (const Type& type : t.types) type_index.emplace(type.name, type_index.size());
  for (const Type& type : t.types) {
    std::size_t first_element = element_count;
    for (const Element& e : type.elements) {
      std::size_t first_ref = ref_count;
      for (const RawTypeRef& r : e.types) {
        auto found = type_index.find(r.code);
        std::string index = found == type_index.end() ? "-1" : std::to_string(found->second);
        refs += "    {" + lit(r.code) + ", " + names.span(r.targets) + ", " + index + "},\n";
        ++ref_count;
      }
      std::string ref_span = e.types.empty() ? "{}"
                                             : "{kTypeRefs + " + std::to_string(first_ref) + ", " +
                                                   std::to_string(e.types.size()) + "}";
      elements += "    {" + lit(e.path) + ", " + lit(e.name) + ", " + std::to_string(e.min) + ", " +
                  max_text(e.max) + ", " + ref_span + ", " + lit(e.content_reference) + ", " +
                  std::to_string(e.content_ref_index) + ", " + std::to_string(e.subtree_end) +
                  ", " + std::to_string(e.flags) + ", " + strength_enum(e.binding_strength) + ", " +
                  lit(e.value_set) + ", " + std::to_string(e.value_set_index) + "},\n";
      ++element_count;
    }
    types += "    {" + lit(type.name) + ", " + kind_enum(type.kind) + ", " +
             (type.is_abstract ? "true" : "false") + ", " + lit(type.base) + ", " + lit(type.url) +
             ", {kElements + " + std::to_string(first_element) + ", " +
             std::to_string(type.elements.size()) + "}, " + lit(type.regex) + "},\n";
  }
  for (const std::string& r : t.resource_types) resources += "    " + lit(r) + ",\n";
  for (const RawSearchParam& p : t.search_params) {
    std::string comp_span = "{}";
    if (!p.components.empty()) {
      comp_span = "{kComponents + " + std::to_string(component_count) + ", " +
                  std::to_string(p.components.size()) + "}";
    }
    for (const auto& [definition, expression] : p.components) {
      components += "    {" + lit(definition) + ", " + lit(expression) + "},\n";
      ++component_count;
    }
    params += "    {" + lit(p.id) + ", " + lit(p.url) + ", " + lit(p.name) + ", " + lit(p.code) +
              ", " + param_type_enum(p.type) + ", " + names.span(p.base) + ", " +
              lit(p.expression) + ", " + lit(p.xpath) + ", " + lit(p.xpath_usage) + ", " +
              names.span(p.target) + ", " + comp_span + "},\n";
  }
  for (const IndexEntry& e : t.search_index) {
    index += "    {" + lit(e.resource_type) + ", " + lit(e.code) + ", kSearchParamData + " +
             std::to_string(e.param) + "},\n";
  }
  for (const CompartmentRow& c : t.compartments) {
    compartments += "    {" + lit(c.compartment) + ", " + lit(c.resource_type) + ", " +
                    names.span(c.params) + "},\n";
  }

  std::string pool;
  for (const std::string& n : names.pool()) pool += "    " + lit(n) + ",\n";
  if (components.empty()) components = "    {\"\", \"\"},\n";  // arrays may not be empty

  std::string out;
  out += "// GENERATED by tools/fhir_codegen from " + source + ". DO NOT EDIT.\n";
  out += "// The R4 model tables declared in fhir/model_tables.h.\n";
  out += "#include \"fhir/model_tables.h\"\n\n";
  out +=
      "namespace hearth::fhir::detail {\nnamespace {\n\nusing namespace "
      "std::string_view_literals;\n\n";
  out += "constexpr std::string_view kNames[] = {\n" + pool + "};\n\n";
  out += "constexpr TypeRef kTypeRefs[] = {\n" + refs + "};\n\n";
  out += "constexpr ElementDef kElements[] = {\n" + elements + "};\n\n";
  out += "constexpr TypeDef kTypeData[] = {\n" + types + "};\n\n";
  out += "constexpr std::string_view kResourceTypeData[] = {\n" + resources + "};\n\n";
  out += "constexpr SearchParamComponent kComponents[] = {\n" + components + "};\n\n";
  out += "constexpr SearchParamDef kSearchParamData[] = {\n" + params + "};\n\n";
  out += "constexpr SearchParamEntry kIndexData[] = {\n" + index + "};\n\n";
  out += "constexpr CompartmentEntry kCompartmentData[] = {\n" + compartments + "};\n\n";
  out += "}  // namespace\n\n";
  out += "constinit const std::span<const TypeDef> kTypes{kTypeData};\n";
  out += "constinit const std::span<const std::string_view> kResourceTypes{kResourceTypeData};\n";
  out += "constinit const std::span<const SearchParamDef> kSearchParams{kSearchParamData};\n";
  out += "constinit const std::span<const SearchParamEntry> kSearchParamIndex{kIndexData};\n";
  out += "constinit const std::span<const CompartmentEntry> kCompartments{kCompartmentData};\n\n";
  out += "}  // namespace hearth::fhir::detail\n";
  return out;
}

}  // namespace hearth::codegen
