// ValueSet expansion (valueset-operation-expand.html) of a compose (compose.h) over the code
// systems and value sets a TerminologySource holds (the built-in ones of code_system.h and
// value_set_compose.h, and those stored in Hearth): compose includes of whole code
// systems, listed concepts (of any system, with the compose's display when Hearth does not hold
// the system) and filters, other value sets (intersected with the include's system part), and
// excludes of the same shapes. Filters supported on a held system: property `concept` (or
// `code`) with `is-a`, `descendent-of` (also spelled `descendant-of`), `is-not-a`,
// `generalizes`, `=`, `in`, `not-in` and `regex` (the whole code, ICU syntax, bounded time);
// property `parent` with `=`; `notSelectable`/`abstract` with `=` true/false.
//
// Bounds: an expansion (and each value set inside it) holds at most kMaxExpansion codes,
// value sets nest at most kMaxNesting deep. No state; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/terminology/code_system.h"
#include "fhir/terminology/compose.h"
#include "fhir/terminology/value_set_compose.h"

namespace hearth::fhir::terminology {

inline constexpr std::size_t kMaxExpansion = 10000;
inline constexpr int kMaxNesting = 8;

struct ExpansionItem {
  std::string_view system;
  std::string_view version;  // the code system's, "" when Hearth does not hold it
  std::string_view code;
  std::string_view display;
  std::uint8_t flags = 0;  // ConceptFlag bits (code_system.h)
};

struct ExpandOptions {
  std::string_view filter;   // keep codes whose display or code contains it (ASCII case folded)
  bool active_only = false;  // drop inactive (deprecated, retired) concepts
  std::size_t offset = 0;    // paging over the filtered expansion
  std::size_t count = kMaxExpansion;
};

struct Expansion {
  std::size_t total = 0;             // codes after the text filter, before paging
  std::vector<ExpansionItem> items;  // the page: [offset, offset + count) of them
};

// Where an expansion finds the code systems and value sets a compose names: the built-in
// tables (BuiltinTerminology), or those and the resources stored in Hearth (api/rest/
// terminology_source.h). What it returns must live as long as the source.
class TerminologySource {
 public:
  virtual ~TerminologySource() = default;
  // The code system `url` ("|version" ignored), or nullptr when not held.
  virtual const CodeSystem* code_system(std::string_view url) = 0;
  // The compose of value set `url` ("|version" ignored), or nullptr when unknown.
  virtual const Compose* value_set(std::string_view url) = 0;
};

// The built-in code systems and value sets only. Not thread-safe (it keeps the composes it
// read); cheap to make, one per use.
class BuiltinTerminology final : public TerminologySource {
 public:
  const CodeSystem* code_system(std::string_view url) override;
  const Compose* value_set(std::string_view url) override;

 private:
  std::deque<Compose> composes_;
};

// Every code of `compose`, in expansion order, its views into what `source` holds. Errors (each
// naming what failed, with IssueType): kNotFound ("not-found") when it includes a value set
// `source` does not know; kUnprocessable ("not-supported") for a whole system or a filter on a
// system `source` does not hold in full, or a filter it does not support (including a regex that
// does not compile or runs out of time); kUnprocessable ("too-costly") past kMaxExpansion codes
// or kMaxNesting levels.
Result<std::vector<ExpansionItem>> expand_all(const Compose& compose, TerminologySource& source);

// The page `options` asks of `all` (text filter, activeOnly, offset, count).
Expansion page_of(std::span<const ExpansionItem> all, const ExpandOptions& options);

// Expands the built-in `vs` (expand_all over BuiltinTerminology, then page_of).
Result<Expansion> expand(const ValueSet& vs, const ExpandOptions& options = {});

// Is (`system`, `code`) in `vs`? An empty `system` matches a code of any system. Errors as
// expand().
Result<bool> contains(const ValueSet& vs, std::string_view system, std::string_view code);

}  // namespace hearth::fhir::terminology
