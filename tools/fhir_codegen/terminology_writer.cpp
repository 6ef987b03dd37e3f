// Emitting the terminology tables; see terminology_writer.h.
#include "tools/fhir_codegen/terminology_writer.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "tools/fhir_codegen/cpp_writer.h"

namespace hearth::codegen {
namespace {

std::string span_of(const char* array, std::size_t offset, std::size_t count) {
  if (count == 0) return "{}";
  return "{" + std::string(array) + " + " + std::to_string(offset) + ", " + std::to_string(count) +
         "}";
}

template <typename T>
std::vector<const T*> sorted_by_url(const std::vector<T>& items) {
  std::vector<const T*> out;
  for (const T& item : items) {
    if (!item.url.empty()) out.push_back(&item);
  }
  std::stable_sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->url < b->url; });
  // The package holds each canonical once; keep the first should that ever change.
  out.erase(
      std::unique(out.begin(), out.end(), [](const T* a, const T* b) { return a->url == b->url; }),
      out.end());
  return out;
}

// The concept texts (codes and displays) of the tables, each stored once in one character array
// and referred to by index: no pointer per text, so no relocation and a quarter of the size.
class TextPool {
 public:
  std::size_t add(const std::string& text) {
    auto [it, added] = index_.try_emplace(text, offsets_.size());
    if (added) {
      offsets_.push_back(size_);
      size_ += text.size();
      std::string literal = cpp_literal(text);
      literal.resize(literal.size() - 2);  // "..." without the sv suffix: one char array
      chars_ += "    " + literal + "\n";
    }
    return it->second;
  }
  std::string emit() const {
    std::string out = "constexpr char kTextData[] =\n" + (chars_.empty() ? "    \"\"" : chars_) +
                      ";\n\nconstexpr std::uint32_t kTextOffsetData[] = {\n";
    for (std::size_t off : offsets_) out += "    " + std::to_string(off) + ",\n";
    return out + "    " + std::to_string(size_) + ",\n};\n\n";
  }

 private:
  std::map<std::string, std::size_t> index_;
  std::vector<std::size_t> offsets_;
  std::size_t size_ = 0;
  std::string chars_;
};

// A growing array's text and its element count.
struct Array {
  std::string text;
  std::size_t size = 0;
  void add(const std::string& row) {
    text += "    " + row + ",\n";
    ++size;
  }
  std::string emit(const std::string& decl, const std::string& empty_row) const {
    return "constexpr " + decl + "[] = {\n" + (size == 0 ? "    " + empty_row + ",\n" : text) +
           "};\n\n";
  }
};

std::string write_code_systems(const Package& package, TextPool& text, std::size_t& count) {
  Array concepts, by_code, systems;
  for (const RawCodeSystem* cs : sorted_by_url(package.code_systems)) {
    if (cs->content != "complete" || cs->concepts.empty()) continue;
    std::size_t first = concepts.size;
    for (const RawConcept& c : cs->concepts) {
      int flags = (c.not_selectable ? 1 : 0) | (c.inactive ? 2 : 0);
      concepts.add("{" + std::to_string(text.add(c.code)) + ", " +
                   std::to_string(text.add(c.display)) + ", " + std::to_string(c.parent) + ", " +
                   std::to_string(c.subtree_end) + ", " + std::to_string(flags) + "}");
    }
    std::vector<std::uint32_t> order(cs->concepts.size());
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return cs->concepts[a].code < cs->concepts[b].code;
    });
    std::size_t first_index = by_code.size;
    for (std::uint32_t i : order) by_code.add(std::to_string(i));
    systems.add("{" + cpp_literal(cs->url) + ", " + cpp_literal(cs->name) + ", " +
                cpp_literal(cs->title) + ", " + cpp_literal(cs->version) + ", " +
                (cs->case_sensitive ? "true" : "false") + ", " +
                span_of("kConcepts", first, cs->concepts.size()) + ", " +
                span_of("kByCode", first_index, order.size()) + ", nullptr}");
  }
  count = systems.size;
  return concepts.emit("Concept kConcepts", "{}") + by_code.emit("std::uint32_t kByCode", "0") +
         systems.emit("CodeSystem kCodeSystemData", "{}");
}

std::string write_value_sets(const Package& package, TextPool& text, std::size_t& count) {
  Array concepts, filters, refs, includes, sets;
  auto add_includes = [&](const std::vector<RawInclude>& list) {
    std::size_t first = includes.size;
    for (const RawInclude& inc : list) {
      std::size_t c0 = concepts.size, f0 = filters.size, r0 = refs.size;
      for (std::size_t i = 0; i < inc.concepts.size(); ++i) {
        concepts.add("{" + std::to_string(text.add(inc.concepts[i])) + ", " +
                     std::to_string(text.add(inc.concept_displays[i])) + "}");
      }
      for (const RawFilter& f : inc.filters) {
        filters.add("{" + cpp_literal(f.property) + ", " + cpp_literal(f.op) + ", " +
                    cpp_literal(f.value) + "}");
      }
      for (const std::string& vs : inc.value_sets) refs.add(cpp_literal(vs));
      includes.add("{" + cpp_literal(inc.system) + ", " +
                   span_of("kComposeConcepts", c0, inc.concepts.size()) + ", " +
                   span_of("kFilters", f0, inc.filters.size()) + ", " +
                   span_of("kValueSetRefs", r0, inc.value_sets.size()) + "}");
    }
    return span_of("kIncludes", first, list.size());
  };
  for (const RawValueSet* vs : sorted_by_url(package.value_sets)) {
    std::string include = add_includes(vs->include);
    std::string exclude = add_includes(vs->exclude);
    sets.add("{" + cpp_literal(vs->url) + ", " + cpp_literal(vs->name) + ", " +
             cpp_literal(vs->title) + ", " + cpp_literal(vs->version) + ", " +
             cpp_literal(vs->status) + ", " + include + ", " + exclude + "}");
  }
  count = sets.size;
  return concepts.emit("ComposeConcept kComposeConcepts", "{}") +
         filters.emit("Filter kFilters", "{}") + refs.emit("std::string_view kValueSetRefs", "{}") +
         includes.emit("Include kIncludes", "{}") + sets.emit("ValueSet kValueSetData", "{}");
}

std::string write_concept_maps(const Package& package, std::size_t& count) {
  Array mappings, groups, maps;
  for (const RawConceptMap* cm : sorted_by_url(package.concept_maps)) {
    std::size_t first_group = groups.size;
    for (const RawConceptMapGroup& g : cm->groups) {
      std::vector<const RawMapping*> sorted;
      for (const RawMapping& m : g.mappings) sorted.push_back(&m);
      std::stable_sort(sorted.begin(), sorted.end(), [](const RawMapping* a, const RawMapping* b) {
        return a->source_code < b->source_code;
      });
      std::size_t first = mappings.size;
      for (const RawMapping* m : sorted) {
        mappings.add("{" + cpp_literal(m->source_code) + ", " + cpp_literal(m->target_code) + ", " +
                     cpp_literal(m->target_display) + ", " + cpp_literal(m->equivalence) + "}");
      }
      groups.add("{" + cpp_literal(g.source) + ", " + cpp_literal(g.target) + ", " +
                 span_of("kMappings", first, sorted.size()) + "}");
    }
    maps.add("{" + cpp_literal(cm->url) + ", " + cpp_literal(cm->name) + ", " +
             cpp_literal(cm->version) + ", " + cpp_literal(cm->source) + ", " +
             cpp_literal(cm->target) + ", " + span_of("kGroups", first_group, cm->groups.size()) +
             "}");
  }
  count = maps.size;
  return mappings.emit("Mapping kMappings", "{}") + groups.emit("ConceptMapGroup kGroups", "{}") +
         maps.emit("ConceptMap kConceptMapData", "{}");
}

}  // namespace

std::string write_terminology_tables(const Package& package, const std::string& source) {
  std::size_t systems = 0, sets = 0, maps = 0;
  TextPool text;
  std::string body = write_code_systems(package, text, systems) +
                     write_value_sets(package, text, sets) + write_concept_maps(package, maps);
  std::string out;
  out += "// GENERATED by tools/fhir_codegen from " + source + ". DO NOT EDIT.\n";
  out += "// The code systems, value set composes and concept maps of fhir/terminology/tables.h.\n";
  out += "#include \"fhir/terminology/tables.h\"\n\n";
  out +=
      "namespace hearth::fhir::terminology::detail {\nnamespace {\n\nusing namespace "
      "std::string_view_literals;\n\n";
  out += text.emit() + body;
  out += "}  // namespace\n\n";
  out += "constinit const std::span<const char> kText{kTextData};\n";
  out += "constinit const std::span<const std::uint32_t> kTextOffsets{kTextOffsetData};\n";
  out += "constinit const std::span<const CodeSystem> kCodeSystems{kCodeSystemData, " +
         std::to_string(systems) + "};\n";
  out += "constinit const std::span<const ValueSet> kValueSets{kValueSetData, " +
         std::to_string(sets) + "};\n";
  out += "constinit const std::span<const ConceptMap> kConceptMaps{kConceptMapData, " +
         std::to_string(maps) + "};\n\n";
  out += "}  // namespace hearth::fhir::terminology::detail\n";
  return out;
}

}  // namespace hearth::codegen
