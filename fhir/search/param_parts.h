// Umbrella search parameters and their parts. Some parameters hold, for every resource, all the
// rows of other parameters of the same type and resource type: Patient `name` (every part of
// every HumanName) holds all of `family` and `given`; `address` holds `address-city`,
// `address-state` ...; `telecom` holds `phone` and `email`. The index need not store those rows
// twice: the umbrella's own rows minus its parts' rows, plus the parts' rows, are exactly its
// rows, so a search on the umbrella reads all of them (storage/sql/search_index.h).
//
// A parameter P is a part of U (same resource type, same parameter type, both indexed) when the
// expressions as they apply to the type (expression_branches.h) show it by their text alone:
//   P = U.where(...)   a filter of U's items (telecom.where(system='phone'),
//   subject.where(resolve()
//                      is Patient)), converted alike (for references: P's targets are U's);
//   P = U.m            U's items are HumanName or Address (string parameters), and m is one of
//                      the elements their conversion (item_to_index.h) already includes;
//   U = A | P | ...    P's union branches are some of U's (Observation `combo-code` = code |
//                      component.code), converted alike (references as above).
// Composites are parts only of composites with the same components (each read by the same
// expression into the same type): Observation `combo-code-value-quantity` (`Observation |
// Observation.component`) holds `code-value-quantity` (`Observation`) and
// `component-code-value-quantity`, not `code-value-concept`, which selects the same Observation
// but reads another value. A composite's groups are never matched row by row.
//
// When every union branch of U is a branch of a part that converts all U does (for references:
// U's targets within the part's), the parts hold all of U's rows (held_by_parts): U has no rows
// of its own, and extract_index does not evaluate it (Observation combo-code, combo-value-quantity,
// combo-code-value-quantity ...).
// tests/unit/fhir/search_param_parts_test.cpp checks both claims on every official example.
#pragma once

#include <span>
#include <string_view>

#include "fhir/search/index_values.h"

namespace hearth::fhir::search {

// The codes of the parts of parameter `code` of `resource_type` (empty for most parameters and
// for unknown ones), sorted. The span views static storage built once; thread-safe.
std::span<const std::string_view> param_parts(std::string_view resource_type,
                                              std::string_view code);

// Do the parts of umbrella `code` of `resource_type` hold every row it gives, whatever the
// resource (see above)? False for a parameter without parts and for unknown ones. Thread-safe.
bool held_by_parts(std::string_view resource_type, std::string_view code);

// Removes from `values` (extract_index's rows of a resource of `resource_type`) every row of an
// umbrella parameter that a row of one of its parts holds with the same values, and every
// composite row of an umbrella its parts hold whole (held_by_parts; extract_index gives such
// rows only under HeldUmbrellas::kExtract): the index stores such a row once, as the part's.
// Keeps the order of the rows left. O(n log n) in the rows of one table; runs where the rows are
// built, outside the store's write transaction.
void drop_rows_held_by_parts(std::string_view resource_type, IndexValues& values);

}  // namespace hearth::fhir::search
