// Parsing of a store URL (`sqlite:PATH`, `sqlite::memory:`, `postgresql://...`) into what the
// session pool needs to connect: the dialect and the backend connect string. No I/O: creating
// SQLite's parent directories is left to the session pool.
//
// Thread-safety: pure functions. Errors: kInvalidArgument for an unknown scheme, an empty
// path, or an unknown SQLite URL parameter or value. No error text holds the URL's password
// (core/redact.h).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::storage {

enum class Dialect { kSqlite, kPostgresql };

struct StoreUrl {
  Dialect dialect = Dialect::kSqlite;
  bool memory = false;  // sqlite::memory:
  std::string path;     // SQLite file path (empty for memory)
  std::string connect;  // the string handed to soci::session (backend connect string)
  // SQLite file: PRAGMA synchronous, from `?synchronous=full|normal`. FULL fsyncs the WAL on
  // every commit (one fsync per group-commit batch), so a commit survives a power cut; NORMAL
  // fsyncs at checkpoints only, so a commit survives a crashed or killed process but the last
  // ones may be lost with the OS.
  bool sync_every_commit = kSyncEveryCommitByDefault;
  static constexpr bool kSyncEveryCommitByDefault = false;
};

Result<StoreUrl> parse_store_url(std::string_view url);

}  // namespace hearth::storage
