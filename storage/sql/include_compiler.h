// Internal to storage/sql: _include and _revinclude (search.html#include) as SQL. The
// directives of an IncludeQuery become one selection each over idx_reference, forward (what the
// page's resources point at) or reverse (what points at them), within the tenant. Pure: no
// database here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/resource_store.h"
#include "storage/sql/sql_builder.h"

namespace hearth::storage::detail {

// The condition on `resource r` that selects what `query` includes: "r.rid IN (SELECT ...
// UNION SELECT ...)", one selection per directive that can apply to `query.from` ("1 = 0" when
// none can), and its bound values.
struct IncludeSql {
  std::string where;
  std::vector<SqlValue> values;
};
IncludeSql compile_include(const IncludeQuery& query, std::string_view tenant);

}  // namespace hearth::storage::detail
