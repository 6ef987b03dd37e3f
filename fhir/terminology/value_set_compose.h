// The ValueSets of the official R4 package as their `compose` says (not expanded): which code
// systems, listed concepts, filters and other value sets each includes and excludes, compiled
// into constant tables by tools/fhir_codegen (terminology_writer.h). fhir/terminology/expansion.h
// expands them on request over the built-in code systems (code_system.h). Everything points into
// static constant data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hearth::fhir::terminology {

// Texts are indices into the pooled character table, as Concept's (code_system.h).
struct ComposeConcept {
  std::uint32_t code;
  std::uint32_t display;  // "" when the compose gives none
};

std::string_view code_of(const ComposeConcept& c);
std::string_view display_of(const ComposeConcept& c);

struct Filter {
  std::string_view property;  // "concept", "code", "parent", ...
  std::string_view op;        // "is-a", "descendent-of", "is-not-a", "=", "regex", "in", ...
  std::string_view value;
};

// One compose.include or compose.exclude: the intersection of its system part (the whole
// system, its listed concepts, or the concepts its filters select) and each value set.
struct Include {
  std::string_view system;  // "" when only value sets
  std::span<const ComposeConcept> concepts;
  std::span<const Filter> filters;
  std::span<const std::string_view> value_sets;  // canonicals without "|version"
};

struct ValueSet {
  std::string_view url;  // canonical, without "|version"
  std::string_view name;
  std::string_view title;
  std::string_view version;
  std::string_view status;
  std::span<const Include> include;
  std::span<const Include> exclude;
};

// The built-in value sets, sorted by url.
std::span<const ValueSet> value_set_composes();
// The built-in value set with canonical `url` ("|version" ignored), or nullptr.
const ValueSet* find_value_set_compose(std::string_view url);

}  // namespace hearth::fhir::terminology
