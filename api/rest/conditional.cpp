// Matching the criteria of a conditional operation through the search engine.
#include "api/rest/conditional.h"

#include <algorithm>
#include <optional>

#include "api/rest/terminology_source.h"
#include "core/url_encoding.h"
#include "fhir/search/param_parts.h"

namespace hearth::api {

Result<QueryParams> parse_criteria(std::string_view query) {
  QueryParams params;
  if (!parse_query(query, params)) {
    return Status(Code::kInvalidArgument, "malformed percent-encoding in the search criteria");
  }
  return params;
}

namespace {

// The criteria as a direct token lookup (storage::TokenLookup) when they are one exact
// "system|code" of a token parameter of the type's own rows, as a message's identifier lookups
// are: the same matches (at most `limit`, in id order, as the search's first page) without
// planning and compiling a search. nullopt for anything else.
std::optional<storage::TokenLookup> direct_lookup(const fhir::search::SearchQuery& query,
                                                  std::size_t limit) {
  if (query.clauses.size() != 1 || query.resource_type.empty() || query.compartment) {
    return std::nullopt;
  }
  const fhir::search::SearchClause& clause = query.clauses.front();
  if (!clause.chain.empty() || clause.modifier != fhir::search::Modifier::kNone ||
      clause.values.size() != 1 || clause.param == nullptr ||
      clause.param->type != fhir::SearchParamType::kToken ||
      !fhir::search::param_parts(query.resource_type, clause.code).empty()) {
    return std::nullopt;
  }
  const fhir::search::SearchValue& v = clause.values.front();
  if (!v.has_system || v.code.empty()) return std::nullopt;
  return storage::TokenLookup{.type = query.resource_type,
                              .param = clause.code,
                              .system = v.system,
                              .code = v.code,
                              .limit = limit};
}

}  // namespace

Result<std::vector<storage::ResourceVersion>> find_matches(
    storage::ResourceReader& reader, std::string_view type, const QueryParams& criteria,
    std::string_view base_url, const fhir::search::SearchLimits& limits, std::size_t most) {
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
  // One more than `most`, so that the caller can tell "too many".
  const std::size_t limit = std::min<std::size_t>(most + 1, fhir::search::kMaxCount);
  if (std::optional<storage::TokenLookup> lookup = direct_lookup(query, limit)) {
    Result<std::vector<storage::ResourceVersion>> found = reader.lookup_token(*lookup);
    if (found.is_ok() || found.status().code() != Code::kNotImplemented) return found;
  }
  query.count = static_cast<int>(limit);
  query.offset = 0;
  query.total = fhir::search::TotalMode::kNone;
  HEARTH_ASSIGN_OR_RETURN(auto page, reader.search(query));
  return std::move(page.entries);
}

}  // namespace hearth::api
