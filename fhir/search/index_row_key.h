// The values of an index row without its parameter, as a tuple of references, so that rows of
// one table compare and sort by what they hold. Private to fhir/search (extract_index drops
// duplicate rows of a parameter by it; drop_rows_held_by_parts matches an umbrella's rows with
// its parts' by it).
#pragma once

#include <tuple>

#include "fhir/search/index_values.h"

namespace hearth::fhir::search::detail {

inline auto row_key(const StringIndex& r) {
  return std::tie(r.folded, r.exact);
}
inline auto row_key(const TokenIndex& r) {
  return std::tie(r.system, r.code, r.text);
}
inline auto row_key(const DateIndex& r) {
  return std::tie(r.low, r.high);
}
inline auto row_key(const NumberIndex& r) {
  return std::tie(r.value);
}
inline auto row_key(const QuantityIndex& r) {
  return std::tie(r.value, r.system, r.code);
}
inline auto row_key(const ReferenceIndex& r) {
  return std::tie(r.target_type, r.target_id, r.url);
}
inline auto row_key(const UriIndex& r) {
  return std::tie(r.uri);
}

}  // namespace hearth::fhir::search::detail
