// When a search is a direct token lookup (resource_store.h, direct_token_lookup): the shape that
// conditional operations and identifier searches share, read by one statement instead of a
// planned search.
#include "fhir/search/param_parts.h"
#include "storage/resource_store.h"

namespace hearth::storage {

std::optional<TokenLookup> direct_token_lookup(const fhir::search::SearchQuery& query,
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
  return TokenLookup{.type = query.resource_type,
                     .param = clause.code,
                     .system = v.system,
                     .code = v.code,
                     .limit = limit};
}

}  // namespace hearth::storage
