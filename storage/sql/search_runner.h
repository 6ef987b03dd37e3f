// Internal to storage/: running a search. On SQLite a count probe per plain clause first picks
// the plan (search_compiler.h, SearchPlan; docs/search.md, Planning); then the compiled query
// becomes two statements on a kQuery lease, the page and (when asked, and not told by a first
// page that holds every match) the total, taken from the session's search statement cache
// (search_statements.h): prepared on the first search of that shape, run again for the next (the
// probes too). An include query is one more statement. A query without _sort that bounds a date
// is run as if sorted by that date (default_date_order).
//
// Thread-safety: may be called concurrently (one lease each).
// Errors: kInvalidArgument when the query binds more values than the engine allows (400, not
// the engine's error); kUnavailable / kInternal for backend failures, a time limit or a
// cancelled search (fail_session).
#pragma once

#include <soci/soci.h>

#include <cstdint>

#include "core/status.h"
#include "fhir/search/search_query.h"
#include "storage/resource_store.h"
#include "storage/sql/session_pool.h"
#include "storage/sql/statements.h"

namespace hearth::storage::detail {

// Searches the calling thread's tenant (core/tenant_scope.h); the _in forms the tenant the
// session's statements are bound to (PreparedStatements::tenant). `now_micros` anchors the `ap`
// prefix on dates.
Result<SearchPage> run_search(SessionPool& pool, const fhir::search::SearchQuery& query,
                              std::int64_t now_micros);

// The same on a session the caller holds, inside its transaction (a conditional operation in a
// store transaction sees that transaction's own writes). kInvalidArgument as above; database
// errors propagate as SOCI exceptions, for the transaction frame to classify and roll back.
Result<SearchPage> run_search_in(PreparedStatements& ps, const fhir::search::SearchQuery& query,
                                 std::int64_t now_micros);

// The resources an IncludeQuery adds (compile_include), on a kQuery lease or on the caller's
// session; errors as above.
Result<std::vector<ResourceVersion>> run_include(SessionPool& pool, const IncludeQuery& query);
Result<std::vector<ResourceVersion>> run_include_in(PreparedStatements& ps,
                                                    const IncludeQuery& query);

}  // namespace hearth::storage::detail
