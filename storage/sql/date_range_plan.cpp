#include "storage/sql/date_range_plan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "fhir/search/param_parts.h"

namespace hearth::storage::detail {

using fhir::SearchParamType;
using fhir::search::Modifier;
using fhir::search::Prefix;
using fhir::search::SearchClause;
using fhir::search::SearchValue;

namespace {

// Whether `c` may be one of a DateRange's clauses (date_range_clauses).
bool fits_range(const fhir::search::SearchQuery& query, const SearchClause& c) {
  const bool one_type = !query.resource_type.empty() || query.types.size() == 1;
  if (!one_type || c.param == nullptr) return false;
  const std::string& type = query.resource_type.empty() ? query.types.front() : query.resource_type;
  return c.chain.empty() && c.param->type == SearchParamType::kDate && c.code != "_lastUpdated" &&
         c.modifier == Modifier::kNone && c.values.size() == 1 &&
         fhir::search::param_parts(type, c.code).empty();
}

// The clauses of `candidates` that fit a range and search `code`.
std::vector<std::size_t> clauses_of(const fhir::search::SearchQuery& query,
                                    const std::vector<std::size_t>& candidates,
                                    std::string_view code) {
  std::vector<std::size_t> out;
  for (std::size_t k : candidates) {
    const SearchClause& c = query.clauses[k];
    if (c.code == code && fits_range(query, c)) out.push_back(k);
  }
  return out;
}

}  // namespace

std::vector<std::size_t> date_range_clauses(const fhir::search::SearchQuery& query,
                                            const std::vector<std::size_t>& candidates) {
  for (std::size_t k : candidates) {
    const SearchClause& first = query.clauses[k];
    if (!fits_range(query, first)) continue;
    std::vector<std::size_t> out = clauses_of(query, candidates, first.code);
    if (out.size() > 1) return out;
  }
  return {};
}

std::vector<std::size_t> date_order_clauses(const fhir::search::SearchQuery& query,
                                            const std::vector<std::size_t>& candidates) {
  if (query.sort.size() != 1 || query.sort.front().descending) return {};
  return clauses_of(query, candidates, query.sort.front().param->code);
}

const fhir::SearchParamDef* default_date_order(const fhir::search::SearchQuery& query) {
  if (!query.sort.empty() || query.compartment) return nullptr;
  std::vector<std::size_t> all(query.clauses.size());
  for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
  for (std::size_t k : all) {
    const SearchClause& first = query.clauses[k];
    if (!fits_range(query, first)) continue;
    // Bounded on both sides whatever the rows' span (any span gives bounds when one does).
    if (date_range(query, clauses_of(query, all, first.code), 0, 0)) return first.param;
    return nullptr;  // the first date parameter decides
  }
  return nullptr;
}

std::optional<DateRange> date_range(const fhir::search::SearchQuery& query,
                                    const std::vector<std::size_t>& clauses, std::int64_t span,
                                    std::int64_t now_micros) {
  // Bounds on a matching row's `low` (lo), from each value: a row meeting "hi > x" starts after
  // x - span. Computed wide, then kept within int64 (the index's values are).
  using Wide = __int128;
  std::optional<Wide> low_min, low_max;
  auto at_least = [&](Wide x) { low_min = low_min ? std::max(*low_min, x) : x; };
  auto at_most = [&](Wide x) { low_max = low_max ? std::min(*low_max, x) : x; };
  for (std::size_t k : clauses) {
    const SearchValue& v = query.clauses[k].values.front();
    const Wide low = v.low, high = v.high, after = Wide{v.high} + 1 - span;
    switch (v.prefix) {
      case Prefix::kEq:
        at_least(low);
        at_most(high);
        break;
      case Prefix::kNe: break;
      case Prefix::kGt: at_least(after); break;
      case Prefix::kLt:
      case Prefix::kEb: at_most(low - 1); break;
      case Prefix::kGe: at_least(std::min(low, after)); break;
      case Prefix::kLe: at_most(high); break;
      case Prefix::kSa: at_least(high + 1); break;
      case Prefix::kAp: {
        const Wide slack = ap_slack(v, now_micros);
        at_least(low - slack - span);
        at_most(high + slack);
        break;
      }
    }
  }
  if (!low_min || !low_max) return std::nullopt;
  constexpr Wide kMin = std::numeric_limits<std::int64_t>::min();
  constexpr Wide kMax = std::numeric_limits<std::int64_t>::max();
  DateRange out;
  out.clauses = clauses;
  out.low_min = static_cast<std::int64_t>(std::clamp(*low_min, kMin, kMax));
  out.low_max = static_cast<std::int64_t>(std::clamp(*low_max, kMin, kMax));
  return out;
}

std::int64_t ap_slack(const SearchValue& v, std::int64_t now) {
  const double gap = std::abs(static_cast<double>(now) - static_cast<double>(v.low));
  return static_cast<std::int64_t>(gap * 0.1);
}

}  // namespace hearth::storage::detail
