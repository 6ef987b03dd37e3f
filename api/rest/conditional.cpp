// Matching the criteria of a conditional operation through the search engine.
#include "api/rest/conditional.h"

#include <algorithm>
#include <optional>

#include "api/rest/terminology_source.h"
#include "core/url_encoding.h"
#include "fhir/model.h"
#include "fhir/search/param_parts.h"
#include "fhir/search/searchable.h"

namespace hearth::api {

Result<QueryParams> parse_criteria(std::string_view query) {
  QueryParams params;
  if (!parse_query(query, params)) {
    return Status(Code::kInvalidArgument, "malformed percent-encoding in the search criteria");
  }
  return params;
}

std::optional<storage::TokenLookup> plain_token_lookup(std::string_view type,
                                                       const QueryParams& criteria,
                                                       std::size_t limit) {
  if (criteria.size() != 1) return std::nullopt;
  const auto& [name, value] = criteria.front();
  // A result or special parameter ("_id", "_tag"), a modifier or a chain: parse_search's.
  if (name.empty() || name.front() == '_' || name.find_first_of(":.") != std::string::npos) {
    return std::nullopt;
  }
  const fhir::SearchParamDef* param = fhir::find_search_param(type, name);
  if (param == nullptr || param->type != fhir::SearchParamType::kToken ||
      !fhir::search::is_searchable(*param) || !fhir::search::param_parts(type, name).empty()) {
    return std::nullopt;
  }
  // One '|' and nothing parse_search would unescape or split on.
  const std::size_t bar = value.find('|');
  if (bar == std::string::npos || value.find_first_of("|,\\$", bar + 1) != std::string::npos ||
      value.find_first_of(",\\$") < bar || bar == 0 || bar + 1 == value.size()) {
    return std::nullopt;
  }
  const std::string_view text(value);
  return storage::TokenLookup{.type = type,
                              .param = name,
                              .system = text.substr(0, bar),
                              .code = text.substr(bar + 1),
                              .limit = limit};
}

Result<std::vector<storage::ResourceVersion>> find_matches(storage::ResourceReader& reader,
                                                           std::string_view type,
                                                           const QueryParams& criteria,
                                                           std::string_view base_url,
                                                           const fhir::search::SearchLimits& limits,
                                                           std::size_t most, bool direct_only) {
  using Found = Result<std::vector<storage::ResourceVersion>>;
  // One more than `most`, so that the caller can tell "too many".
  const std::size_t limit = std::min<std::size_t>(most + 1, fhir::search::kMaxCount);
  // The reader's answer to a direct token lookup; nullopt when there is none to make or the
  // reader has no such path (then the search).
  const auto direct =
      [&](const std::optional<storage::TokenLookup>& lookup) -> std::optional<Found> {
    if (!lookup) return std::nullopt;
    Found found = reader.lookup_token(*lookup);
    if (!found.is_ok() && found.status().code() == Code::kNotImplemented) return std::nullopt;
    return found;
  };
  // A message's identifier lookups: no search parsed (nor planned, below).
  if (std::optional<Found> found = direct(plain_token_lookup(type, criteria, limit))) {
    return std::move(*found);
  }
  // :in, :not-in, :below and :above over the value sets and code systems `reader` sees, as a
  // search does.
  StoredTerminology terminology(reader);
  fhir::search::SearchLimits with_terminology = limits;
  if (with_terminology.terminology == nullptr) with_terminology.terminology = &terminology;
  HEARTH_ASSIGN_OR_RETURN(auto query,
                          fhir::search::parse_search(type, criteria, base_url,
                                                     /*strict=*/true, with_terminology));
  if (query.clauses.empty()) {
    return Status(Code::kInvalidArgument,
                  "a conditional operation needs search criteria that select resources");
  }
  // One exact "system|code" of a token parameter, as a message's identifier lookups are: the
  // same matches without planning and compiling a search.
  if (std::optional<Found> found = direct(storage::direct_token_lookup(query, limit))) {
    return std::move(*found);
  }
  if (direct_only) return Status(Code::kNotImplemented, "not a direct token lookup");
  query.count = static_cast<int>(limit);
  query.offset = 0;
  query.total = fhir::search::TotalMode::kNone;
  HEARTH_ASSIGN_OR_RETURN(auto page, reader.search(query));
  return std::move(page.entries);
}

std::vector<std::optional<std::vector<storage::ResourceVersion>>> prefetch_matches(
    storage::ResourceReader& reader,
    std::span<const std::pair<std::string_view, const QueryParams*>> criteria, std::size_t most) {
  std::vector<std::optional<std::vector<storage::ResourceVersion>>> out(criteria.size());
  const std::size_t limit = std::min<std::size_t>(most + 1, fhir::search::kMaxCount);
  std::vector<storage::TokenLookup> lookups;
  std::vector<std::size_t> asked;  // the index in `criteria` of each lookup
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    if (auto lookup = plain_token_lookup(criteria[i].first, *criteria[i].second, limit)) {
      lookups.push_back(*lookup);
      asked.push_back(i);
    }
  }
  if (lookups.size() < 2) return out;  // nothing to make together
  Result<std::vector<std::vector<storage::ResourceVersion>>> found = reader.lookup_tokens(lookups);
  if (!found.is_ok() || found->size() != lookups.size()) return out;
  for (std::size_t k = 0; k < asked.size(); ++k) out[asked[k]] = std::move((*found)[k]);
  return out;
}

}  // namespace hearth::api
