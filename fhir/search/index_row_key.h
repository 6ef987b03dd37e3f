// The values of an index row without its parameter, as a tuple of references, so that rows of
// one table compare and sort by what they hold, and drop_duplicates by it. Private to fhir/search
// (extract_index drops duplicate rows of a parameter by it; drop_rows_held_by_parts matches an
// umbrella's rows with its parts' by it).
#pragma once

#include <algorithm>
#include <cstddef>
#include <tuple>
#include <vector>

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

// Removes duplicate rows among rows[start, end) (all of one parameter), keeping first
// occurrences in order (so rows do not depend on whether a union already dropped equal items);
// the rows after `end` move up. `end` npos: to the last row.
template <class Row>
void drop_duplicates(std::vector<Row>& rows, std::size_t start,
                     std::size_t end = static_cast<std::size_t>(-1)) {
  if (end > rows.size()) end = rows.size();
  const std::size_t n = end - start;
  if (n < 2) return;
  auto first = rows.begin() + static_cast<std::ptrdiff_t>(start);
  std::vector<bool> repeat(n, false);
  if (n <= 32) {
    for (std::size_t i = 1; i < n; ++i) {
      for (std::size_t j = 0; j < i && !repeat[i]; ++j) {
        repeat[i] = !repeat[j] && row_key(first[static_cast<std::ptrdiff_t>(i)]) ==
                                      row_key(first[static_cast<std::ptrdiff_t>(j)]);
      }
    }
  } else {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    auto at = [&](std::size_t i) -> const Row& { return first[static_cast<std::ptrdiff_t>(i)]; };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return row_key(at(a)) < row_key(at(b)); });
    for (std::size_t k = 1; k < n; ++k) {
      repeat[order[k]] = row_key(at(order[k])) == row_key(at(order[k - 1]));
    }
  }
  auto kept = first;
  for (std::size_t i = 0; i < n; ++i) {
    auto it = first + static_cast<std::ptrdiff_t>(i);
    if (repeat[i]) continue;
    if (kept != it) *kept = std::move(*it);
    ++kept;
  }
  rows.erase(kept, first + static_cast<std::ptrdiff_t>(n));
}

}  // namespace hearth::fhir::search::detail
