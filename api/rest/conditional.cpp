// Matching the criteria of a conditional operation through the search engine.
#include "api/rest/conditional.h"

#include <algorithm>
#include <optional>

#include "api/rest/terminology_source.h"
#include "core/url_encoding.h"

namespace hearth::api {

Result<QueryParams> parse_criteria(std::string_view query) {
  QueryParams params;
  if (!parse_query(query, params)) {
    return Status(Code::kInvalidArgument, "malformed percent-encoding in the search criteria");
  }
  return params;
}

Result<std::vector<storage::ResourceVersion>> find_matches(storage::ResourceReader& reader,
                                                           std::string_view type,
                                                           const QueryParams& criteria,
                                                           std::string_view base_url,
                                                           const fhir::search::SearchLimits& limits,
                                                           std::size_t most, bool direct_only) {
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
  // One exact "system|code" of a token parameter, as a message's identifier lookups are: the
  // same matches without planning and compiling a search.
  if (std::optional<storage::TokenLookup> lookup = storage::direct_token_lookup(query, limit)) {
    Result<std::vector<storage::ResourceVersion>> found = reader.lookup_token(*lookup);
    if (found.is_ok() || found.status().code() != Code::kNotImplemented) return found;
  }
  if (direct_only) return Status(Code::kNotImplemented, "not a direct token lookup");
  query.count = static_cast<int>(limit);
  query.offset = 0;
  query.total = fhir::search::TotalMode::kNone;
  HEARTH_ASSIGN_OR_RETURN(auto page, reader.search(query));
  return std::move(page.entries);
}

}  // namespace hearth::api
