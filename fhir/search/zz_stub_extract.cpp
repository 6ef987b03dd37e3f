// TEMPORARY stub until the extraction lands (replaced by index_values.cpp).
#include "fhir/search/index_values.h"
namespace hearth::fhir::search {
Result<IndexValues> extract_index(const JsonValue&) { return IndexValues{}; }
bool is_indexed(const SearchParamDef&) { return false; }
}  // namespace hearth::fhir::search
