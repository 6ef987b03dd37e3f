// Internal to storage/: the direct form of the one-clause token search that conditional
// operations run for each resource a message mentions (`Patient?identifier=sys|val`,
// storage::TokenLookup): one statement over idx_token's `_find` index and the resource rows,
// with none of the search's planning (probe counts) or compilation. The matches are those of
// run_search_in for the same clause: the current, not deleted resources of the type and tenant
// with an index row of the parameter's id holding exactly that system and code, in id order (when
// more than the limit match, which ones come is not said).
//
// Thread-safety: none; the session's thread. Errors: SOCI exceptions propagate (the caller's
// transaction handles them as it does a search's).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "storage/resource_store.h"
#include "storage/sql/statements.h"

namespace hearth::storage::detail {

// The matches of `lookup` (lookup.limit at most; none when the limit is 0) among the resources
// of ps.tenant, through ps's search statement cache.
std::vector<ResourceVersion> run_token_lookup(PreparedStatements& ps, const TokenLookup& lookup);

// run_token_lookup's answer to each of `lookups`, in their order. On SQLite, four or more
// lookups of one type and parameter are made by one statement (up to kBatchCodes codes each,
// `i.code IN (...)`): an HL7 result's fifteen Observation identifiers are one statement, not
// fifteen; fewer cost SQLite more together than apart. PostgreSQL makes them one by one (its
// plan for the IN list walks the type's resources on a store without statistics;
// bench/README.md). A statement that finds more rows than its
// lookups' limits add up to (some value matched more often than its lookup asked for) is answered
// lookup by lookup instead, so that no lookup's answer is cut short by another's.
std::vector<std::vector<ResourceVersion>> run_token_lookups(PreparedStatements& ps,
                                                            std::span<const TokenLookup> lookups);

// The most codes one statement of run_token_lookups binds.
inline constexpr std::size_t kBatchCodes = 32;

}  // namespace hearth::storage::detail
