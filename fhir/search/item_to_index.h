// The conversion of one FHIRPath result item into index rows (search.html, "which data types
// each parameter type matches"), used by extract_index (fhir/search/index_values.h). Private to
// fhir/search: the public contract is extract_index.
#pragma once

#include <string_view>

#include "fhir/fhirpath/item.h"
#include "fhir/model.h"
#include "fhir/search/index_values.h"

namespace hearth::fhir::search::detail {

// Appends the rows `item` gives for `param` to `out` (strings for a string parameter, tokens
// for a token parameter ...). Items whose FHIR type the parameter type does not match (a token
// parameter over a Reference), empty values and unparsable dates add nothing; an Extension
// counts as its value[x]. Never fails. Does not remove duplicates.
void item_to_index(const SearchParamDef& param, const fhirpath::Item& item, IndexValues& out);

// The parts of a reference as written: "Patient/1", "Patient/1/_history/2" and
// "https://host/fhir/Patient/1" give type "Patient" and id "1"; "#c1", "urn:uuid:..." and
// canonicals give neither. `url` is always `reference` itself.
ReferenceIndex parse_reference(std::string_view code, std::string_view reference);

}  // namespace hearth::fhir::search::detail
