// The code systems of the official R4 package that it holds in full (content "complete": the
// FHIR ones, the HL7 v2 tables and v3 vocabularies it ships), compiled into constant tables by
// tools/fhir_codegen (terminology_writer.h): each concept's code, display, place in the
// hierarchy (the nesting of CodeSystem.concept, and the links its properties name) and whether
// it is abstract or inactive.
// Definitions, designations and other properties are not kept.
//
// A concept's descendants are the concepts that follow it up to `subtree_end` (document order,
// depth first), so subsumption is a range test. A code system may also say its hierarchy by
// `parent`/`child` properties, where a concept can have several parents (13 built-in v3 ones;
// stored ones, stored_code_system.h): it then carries a ConceptGraph, and the functions below
// follow that instead (the same answers, by a bounded walk of an acyclic graph). The built-in
// graphs are built once, on the first call of code_systems() or find_code_system(). Everything
// points into constant data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::fhir::terminology {

enum ConceptFlag : std::uint8_t {
  kConceptNotSelectable = 1,  // property notSelectable or abstract: not for use in data
  kConceptInactive = 2,       // property status deprecated or retired
};

// Texts are indices into one pooled character table (tables.h): use code_of() and display_of().
struct Concept {
  std::uint32_t code;
  std::uint32_t display;
  std::int32_t parent;        // the `concept` nesting's parent index; -1 at the top
  std::uint32_t subtree_end;  // the concepts in (this, subtree_end) are nested in it
  // (with a ConceptGraph, the hierarchy is the graph's: use parents_of() and descendants_of())
  std::uint8_t flags;  // ConceptFlag bits
};

// A hierarchy that is more than the `concept` nesting (codesystem.html#hierarchy: properties
// `parent` and `child`, several parents allowed): every link, the nesting's included, as
// adjacency lists over concept indices. Concept i's parents are
// parents[parent_begin[i], parent_begin[i + 1]), its children likewise. Acyclic, each list in
// document order without repeats.
struct ConceptGraph {
  std::span<const std::uint32_t> parent_begin;  // concepts + 1 offsets
  std::span<const std::uint32_t> parents;
  std::span<const std::uint32_t> child_begin;  // concepts + 1 offsets
  std::span<const std::uint32_t> children;
};

struct CodeSystem {
  std::string_view url;  // canonical, without "|version"
  std::string_view name;
  std::string_view title;
  std::string_view version;
  bool case_sensitive;
  std::span<const Concept> concepts;       // document order
  std::span<const std::uint32_t> by_code;  // indices into `concepts`, sorted by code
  // The texts a concept's code and display index: nullptr for a built-in code system (the
  // pooled tables), the compiled texts of a stored one (stored_code_system.h).
  const std::string* texts;
  // The hierarchy when it is not the nesting alone; nullptr for a code system whose concepts
  // name no `parent`/`child` links.
  const ConceptGraph* graph;
};

// A built-in concept's code and display ("" when the code system gives none).
std::string_view code_of(const Concept& c);
std::string_view display_of(const Concept& c);
// A concept of `cs`, built in or stored.
std::string_view code_of(const CodeSystem& cs, const Concept& c);
std::string_view display_of(const CodeSystem& cs, const Concept& c);

// The built-in code systems, sorted by url.
std::span<const CodeSystem> code_systems();
// The built-in code system with canonical `url` ("|version" ignored), or nullptr.
const CodeSystem* find_code_system(std::string_view url);
// The concept with `code` (case-insensitively when the system says so), or nullptr.
const Concept* find_concept(const CodeSystem& cs, std::string_view code);

// The concept's parents (none at the top; at most one without a ConceptGraph), document order.
std::vector<const Concept*> parents_of(const CodeSystem& cs, const Concept& c);
// Its direct children, in document order.
std::vector<const Concept*> children_of(const CodeSystem& cs, const Concept& c);
// Its descendants (children, their children, ...), each once, in document order.
std::vector<const Concept*> descendants_of(const CodeSystem& cs, const Concept& c);
// Its ancestors (parents, theirs, ...), each once, in document order.
std::vector<const Concept*> ancestors_of(const CodeSystem& cs, const Concept& c);

// CodeSystem/$subsumes outcomes (codesystem-operation-subsumes.html).
enum class Subsumption : std::uint8_t { kEquivalent, kSubsumes, kSubsumedBy, kNotSubsumed };
// How `a` relates to `b`: a subsumes b when b is a descendant of a (through any of its parents).
Subsumption subsumes(const CodeSystem& cs, const Concept& a, const Concept& b);
// "equivalent", "subsumes", "subsumed-by", "not-subsumed".
std::string_view subsumption_code(Subsumption s);

}  // namespace hearth::fhir::terminology
