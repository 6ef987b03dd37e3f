// The code systems of the official R4 package that it holds in full (content "complete": the
// FHIR ones, the HL7 v2 tables and v3 vocabularies it ships), compiled into constant tables by
// tools/fhir_codegen (terminology_writer.h): each concept's code, display, place in the
// hierarchy (the nesting of CodeSystem.concept) and whether it is abstract or inactive.
// Definitions, designations and other properties are not kept.
//
// A concept's descendants are the concepts that follow it up to `subtree_end` (document order,
// depth first), so subsumption is a range test. Everything points into static constant data;
// thread-safe.
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
  std::int32_t parent;        // index in the code system's concepts; -1 at the top
  std::uint32_t subtree_end;  // the concepts in (this, subtree_end) are its descendants
  std::uint8_t flags;         // ConceptFlag bits
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

// The concept's parent, or nullptr at the top.
const Concept* parent_of(const CodeSystem& cs, const Concept& c);
// Its descendants (children, their children, ...), in document order.
std::span<const Concept> descendants_of(const CodeSystem& cs, const Concept& c);
// Its direct children.
std::vector<const Concept*> children_of(const CodeSystem& cs, const Concept& c);

// CodeSystem/$subsumes outcomes (codesystem-operation-subsumes.html).
enum class Subsumption : std::uint8_t { kEquivalent, kSubsumes, kSubsumedBy, kNotSubsumed };
// How `a` relates to `b`: a subsumes b when b is a descendant of a.
Subsumption subsumes(const CodeSystem& cs, const Concept& a, const Concept& b);
// "equivalent", "subsumes", "subsumed-by", "not-subsumed".
std::string_view subsumption_code(Subsumption s);

}  // namespace hearth::fhir::terminology
