// A ValueSet's `compose` as expansion (expansion.h) reads it, whichever it comes from: the
// built-in tables (value_set_compose.h) or a ValueSet resource stored in Hearth. Every text is a
// view into its source (the static tables, or the resource's JSON, which must outlive it).
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/terminology/value_set_compose.h"

namespace hearth::fhir::terminology {

// Bounds on what read_compose() accepts (kInvalidArgument beyond each).
inline constexpr std::size_t kMaxComposeIncludes = 1000;   // includes plus excludes
inline constexpr std::size_t kMaxComposeConcepts = 10000;  // listed concepts of one include
inline constexpr std::size_t kMaxComposeFilters = 32;      // filters of one include
inline constexpr std::size_t kMaxComposeValueSets = 32;    // value sets of one include

struct ComposeInclude {
  std::string_view system;                                              // "" when only value sets
  std::vector<std::pair<std::string_view, std::string_view>> concepts;  // (code, display)
  std::vector<Filter> filters;
  std::vector<std::string_view> value_sets;  // canonicals without "|version"
};

struct Compose {
  std::string_view url;  // canonical without "|version"; "" for a value set without one
  std::string_view name, title, version, status;
  std::vector<ComposeInclude> include;
  std::vector<ComposeInclude> exclude;
};

// The compose of a built-in value set.
Compose compose_of(const ValueSet& vs);

// The compose of `value_set`, a ValueSet resource as FHIR JSON. Errors, kInvalidArgument with the
// FHIRPath of the culprit (`ValueSet.compose.include[1].filter[0].op`): not a ValueSet, no
// compose, an include that is not an object or names neither a system nor a value set, a listed
// concept without code, a filter without property, op or value, and every bound above.
Result<Compose> read_compose(const JsonValue& value_set);

}  // namespace hearth::fhir::terminology
