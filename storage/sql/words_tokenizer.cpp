// hearth_words: an FTS5 tokenizer that splits at spaces (words_tokenizer.h).
#include "storage/sql/words_tokenizer.h"

#include <soci/sqlite3/soci-sqlite3.h>

#include <cstring>
#include <string>

#include "storage/sql/sqlite_statement.h"

namespace hearth::storage::detail {
namespace {

using sqlite_api::Fts5Tokenizer;

// The tokenizer keeps no state: every instance is this one.
char instance;

int create(void* /*context*/, const char** /*args*/, int /*count*/, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* /*tokenizer*/) {}

// Each run of bytes between spaces is a token, its offsets those of the run.
int tokenize(Fts5Tokenizer* /*tokenizer*/, void* context, int /*flags*/, const char* text,
             int length, int (*token)(void*, int, const char*, int, int, int)) {
  int from = 0;
  while (from < length) {
    const void* space = std::memchr(text + from, ' ', static_cast<std::size_t>(length - from));
    const int to =
        space == nullptr ? length : static_cast<int>(static_cast<const char*>(space) - text);
    if (to > from) {
      const int rc = token(context, 0, text + from, to - from, from, to);
      if (rc != SQLITE_OK) return rc;
    }
    from = to + 1;
  }
  return SQLITE_OK;
}

// Registers the tokenizer; the SQLite result code of the first step that failed.
int register_on(sqlite_api::sqlite3* db) {
  sqlite_api::fts5_api* api = nullptr;
  sqlite_api::sqlite3_stmt* st = nullptr;
  int rc = sqlite_api::sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr);
  if (rc != SQLITE_OK) return rc;
  sqlite_api::sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite_api::sqlite3_step(st);
  rc = sqlite_api::sqlite3_finalize(st);
  if (rc != SQLITE_OK) return rc;
  if (api == nullptr) return SQLITE_ERROR;
  sqlite_api::fts5_tokenizer methods{&create, &destroy, &tokenize};
  return api->xCreateTokenizer(api, kWordsTokenizer, nullptr, &methods, nullptr);
}

}  // namespace

void register_words_tokenizer(soci::session& sql) {
  auto* db = sqlite_connection(sql);
  const int rc = register_on(db);
  if (rc != SQLITE_OK) {
    throw soci::sqlite3_soci_error(
        std::string("registering the FTS5 tokenizer: ") + sqlite_api::sqlite3_errmsg(db), rc);
  }
}

bool register_words_tokenizer(void* sqlite3_connection) {
  return register_on(static_cast<sqlite_api::sqlite3*>(sqlite3_connection)) == SQLITE_OK;
}

}  // namespace hearth::storage::detail
