// Internal to storage/: the opaque paging cursor of a search (SearchQuery::cursor,
// SearchPage::next_cursor). Pages are by keyset, not offset: a cursor holds the sort key values
// of the entry a page starts after (or ends before), so a write between two page requests never
// shifts an entry across pages: the next page starts where the last one stopped, whatever was
// inserted or deleted before it.
//
// The text is base64url of "1" + direction + the query's sort signature + each key's value; a
// client treats it as opaque. Decoding checks everything a client could have changed (a cursor
// from another _sort, a damaged one): the values are bound or written as numbers parsed here,
// never spliced as text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/search/search_query.h"

namespace hearth::storage::detail {

// The kind of one sort term's value (search_compiler.h, SortTerm).
enum class KeyKind : char { kText = 't', kInteger = 'i', kReal = 'r' };

struct CursorValue {
  bool null = false;  // the resource has no value for this key (it sorts last)
  KeyKind kind = KeyKind::kText;
  std::string text;
  long long integer = 0;
  double real = 0;
};

struct PageCursor {
  enum class Direction : char {
    kAfter = 'a',   // the page after `keys` (next)
    kBefore = 'b',  // the page before `keys` (previous)
    kLast = 'l',    // the last page (no keys)
  };
  Direction direction = Direction::kAfter;
  std::vector<CursorValue> keys;  // one per sort term, in ORDER BY order
};

// The longest _cursor accepted (a cursor of 10 sort keys of long texts stays well below it).
inline constexpr std::size_t kMaxCursorBytes = 8192;

// What a cursor is bound to: the query's _sort keys and searched types (another _sort would
// read its values wrongly).
std::string sort_signature(const fhir::search::SearchQuery& query);

std::string encode_cursor(const PageCursor& cursor, std::string_view signature);

// Errors: kInvalidArgument ("invalid _cursor ...") when `text` is longer than kMaxCursorBytes,
// is not a cursor, or belongs to another signature; the key kinds are checked by the compiler.
Result<PageCursor> decode_cursor(std::string_view text, std::string_view signature);

}  // namespace hearth::storage::detail
