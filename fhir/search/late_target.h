// Index values of a resource extracted before the ids some of its references name are known: a
// transaction's entry that refers to another entry by its fullUrl, whose id the transaction's
// lookups decide (a conditional create that may match, a conditional update). Each such
// reference is extracted as `Type/<late_target_id(n)>` and the rows are bound to the ids once
// they are known, so the rows are extracted where the entries are planned, not where the
// store's single writer waits (api/rest/early_index.h).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "fhir/search/index_values.h"

namespace hearth::fhir::search {

// The id that stands for the n-th late target: a valid FHIR id, one word of full text, which no
// resource holds (it carries a random number drawn once per process).
std::string late_target_id(std::size_t n);

// Replaces every late_target_id(n) in `values` by ids[n], making `values` what extract_index
// gives for the resource with `Type/<ids[n]>` where it held `Type/<late_target_id(n)>`: reference
// rows and composite rows' reference parts (target id and URL), and the words of the content and
// narrative texts (the id's words added at the text's end; a search matches words, not their
// order). A reference row made equal to another row of its parameter is dropped, as
// extract_index drops duplicates.
// False when it cannot say what extraction would give (a stand-in for which `ids` has no id or
// an empty one; a text so long that its cap may have cut words); `values` are then unusable:
// extract the resource again.
bool bind_late_targets(IndexValues& values, std::span<const std::string> ids);

}  // namespace hearth::fhir::search
