// Internal to storage/: the FTS5 tokenizer `hearth_words` of the SQLite full-text index
// (text_index.h, schema 17). The texts it reads are already words: folded, deduplicated and
// separated by single spaces (fhir/search/full_text.h, a narrative word with a '_' before it),
// and so are the match expressions' quoted words (search_compiler.cpp). It therefore only splits
// at spaces: every other byte is a word byte, as under FTS5's `ascii` tokenizer with
// tokenchars '_' that it replaces, so both give the same tokens; it spent a quarter of the FTS5
// work of a create folding case and classifying each byte (bench/store/create_cost).
//
// FTS5 looks a tokenizer up by name on the connection that opens the table, so every SQLite
// connection that reads or writes `idx_text` (or drops it) must have it registered first: the
// store's sessions do (session_pool.cpp); a plain `sqlite3` shell cannot read `idx_text` ("no
// such tokenizer"), while every other table stays readable.
#pragma once

#include <soci/soci.h>

namespace hearth::storage::detail {

// The tokenizer's name in CREATE VIRTUAL TABLE ... tokenize=.
inline constexpr const char* kWordsTokenizer = "hearth_words";

// Registers `hearth_words` on the SQLite connection of `sql`. Errors: a SOCI exception when the
// SQLite library has no FTS5 (the caller translates it).
void register_words_tokenizer(soci::session& sql);

// The same on a raw connection (a `sqlite3*` passed as void*, for tools and tests that open the
// file themselves). Returns false when the library has no FTS5.
bool register_words_tokenizer(void* sqlite3_connection);

}  // namespace hearth::storage::detail
