// Internal to storage/sql: the page of a compiled search (search_compiler.h, SearchSql). Its
// ORDER BY, the keyset condition of a paging cursor (page_cursor.h: the rows after, or before,
// the last page's sort keys, stable under concurrent writes), and the page query that cuts the
// ordered matches to the page before it joins their bodies. Pure: no database here.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "storage/sql/page_cursor.h"
#include "storage/sql/search_compiler.h"

namespace hearth::storage::detail {

// The ORDER BY of `terms` (without the keywords), each direction flipped when `backward`.
// Resources without a value come last either way (engines disagree on where NULL sorts), so a
// nullable term sorts by "value IS NULL" first.
std::string order_by(const std::vector<SortTerm>& terms, bool backward);

// Restricts `sql` to the page `cursor` names (page_cursor.h): the rows after (or before) its
// keys; for a page read backwards (previous, last), order_by is reversed: the caller reverses the
// rows it reads. Errors: kInvalidArgument when the cursor's keys do not fit `sql.terms`.
Status add_keyset(SearchSql& sql, const PageCursor& cursor);

// The page query of `sql`: each row's type, id, version, last_updated and body, then its
// `terms` (the cursor keys), in order_by's order, with ":lim" and ":off" placeholders. The rows
// are ordered and cut to the page before their bodies are joined, so only the page's bodies are
// read: ordered with them, every match's body was read and copied into the sort (481 bodies
// for a page of 20 of a name prefix at 1M resources). The ordering reads only the key of each
// match (resource_rid covers it on SQLite: rid, deleted and the key), and the page's rows are
// then read by key for their version: a set of matches costs one index read each, not two.
std::string page_select(const SearchSql& sql);

}  // namespace hearth::storage::detail
