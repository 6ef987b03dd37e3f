// Subsetted views of a resource (search.html#summary, #elements): `_summary=true|text|data` and
// `_elements=a,b` cut a stored resource down to part of its elements, on read and on search.
// Which elements are "summary" comes from the generated R4 model (ElementDef::flags,
// kElementSummary, the definitions' isSummary); mandatory elements (min > 0) are always kept.
// A subsetted resource carries the tag SUBSETTED (system
// http://terminology.hl7.org/CodeSystem/v3-ObservationValue) in meta.tag, as the specification
// asks, so that it is never taken for the whole resource.
//
// What each view keeps:
// - summary true: at every level of the resource and its backbone elements, the elements marked
//   isSummary and the mandatory ones; a kept element of a data type (HumanName, Coding, ...) is
//   kept whole, and a primitive's extension (`_birthDate`) goes with its value.
// - summary text: the top-level id, meta, text and mandatory elements, each whole.
// - summary data: everything but the top-level text.
// - elements: the top-level id, meta, the named elements and the mandatory ones, each whole.
//
// Pure functions over the model's static tables; reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::fhir {

enum class SummaryMode : std::uint8_t { kFalse, kTrue, kText, kData };

struct ResourceView {
  SummaryMode summary = SummaryMode::kFalse;
  // _elements: top-level element names as given ("name", "value" for value[x]); empty when not
  // asked.
  std::vector<std::string> elements;
  bool full() const { return summary == SummaryMode::kFalse && elements.empty(); }
};

// The longest element name _elements accepts (the longest R4 element name is well below it).
inline constexpr std::size_t kMaxElementName = 64;

// "true", "text", "data", "false" -> the mode. Errors: kInvalidArgument for anything else
// ("count" included: it is a search's business, not a view).
Result<SummaryMode> parse_summary_mode(std::string_view value);

// _elements=a,b,c: comma-separated names, empty ones skipped. Each must name a top-level element
// of at least one of `types` (any resource type when `types` is empty); a choice element is
// named without its "[x]". Errors (kInvalidArgument naming the value): more than `max_names`
// names, a name longer than kMaxElementName, an unknown name.
Result<std::vector<std::string>> parse_elements(std::string_view value,
                                                std::span<const std::string> types,
                                                std::size_t max_names);

// `resource_json` (a FHIR JSON resource) cut down to `view`, with the SUBSETTED tag added;
// unchanged when view.full(). Errors: kInternal when the JSON does not parse or is not a
// resource of a known type (stored bodies always are).
Result<std::string> apply_view(std::string_view resource_json, const ResourceView& view);

}  // namespace hearth::fhir
