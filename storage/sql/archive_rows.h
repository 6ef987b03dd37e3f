// Internal to storage/: the SQL of the inbound message archive (hl7_message), shared by both
// engines. These run on a session the caller leased and, for archive_rows, inside a write
// transaction the caller opened (SqlStore decides how: group commit on SQLite, one transaction
// per call on PostgreSQL).
//
// Errors: SOCI exceptions propagate (the caller translates them). Thread-safety: none beyond the
// session's.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/message_archive.h"
#include "storage/sql/statements.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// The output bindings of one hl7_message row, in column order (raw and ack as the column holds
// them: hex on PostgreSQL); take() turns it into the row as stored.
struct MessageRow {
  long long id = 0, received_at = 0;
  std::string peer, sender, control_id, message_type, version, status, raw, ack, note,
      sender_identity;

  // Binds every column as an output of `st`, in order.
  void bind(soci::statement& st);
  ArchivedMessage take(Dialect dialect);
};

// The write path's statements, prepared once per session (a message costs one lookup and one
// insert; preparing them per call was a tenth of the ingest's CPU). Inputs and outputs are
// bound to the members below.
struct ArchiveStatements {
  // `tenant`: the owner's (PreparedStatements::tenant), bound into find_same, find_any and
  // insert: a message is archived in, and a resend found within, the caller's tenant.
  ArchiveStatements(soci::session& sql, Dialect dialect, const std::string& tenant);

  // Inputs of `lock`, `find_same` and `find_any`: (sender, control_id) and the new message's
  // content hash; `lock_key` is sender|control_id.
  std::string sender, control_id, lock_key;
  long long content_hash = 0;
  // `find_same`'s output, one row per fetch: accepted rows of (sender, control_id) whose hash
  // matches or is unknown (rows from before schema 6), oldest first.
  MessageRow found;
  // `find_any`'s output: the oldest accepted row of (sender, control_id), any content.
  long long any_id = 0;
  // Inputs of `insert` (with sender, control_id and content_hash above; raw and ack in column
  // form); `inserted_id` is its key (RETURNING on PostgreSQL).
  long long received_at = 0, inserted_id = 0;
  std::string peer, message_type, version, status, raw, ack, note, sender_identity;

  soci::session& sql;
  const Dialect dialect;
  soci::statement lock;       // PostgreSQL only: advisory lock on lock_key
  soci::statement find_same;  // (sender, control_id, content_hash) -> found
  soci::statement find_any;   // (sender, control_id) -> any_id
  soci::statement insert;     // every column -> inserted_id
  // The message effect's own savepoint (nested in the group commit's), and what marks the row
  // 'error' when the effect failed: inputs status, ack, note, then inserted_id.
  soci::statement effect_savepoint, effect_release, effect_rollback;
  soci::statement mark_failed;
};

// How the writes of an effect that failed are taken back.
struct EffectUndo {
  // False: the effect runs in a savepoint of its own, rolled back when it fails. True: it runs
  // without one (a savepoint costs a copy of every page the effect touches, a tenth of a mapped
  // message's store work), and when it fails archive_rows returns at once, its writes still in
  // place and its error in `*failed`: the caller rolls the transaction back and calls again with
  // that error as `known_failure`.
  bool by_caller = false;
  Status* failed = nullptr;  // by_caller only: set to the effect's error when it failed
  // The error the effect returned in an earlier, rolled-back run: it is not run again, and the
  // row is stored as 'error' as if it had just failed.
  const Status* known_failure = nullptr;
};

// Looks up, decides and inserts (see MessageArchive::archive), then runs the request's effect
// on `effect_tx` (the transaction of `ps`) for a new accepted message. `now_micros` is
// received_at. `raced` is the flag `effect_tx` sets when a PostgreSQL write inside the effect
// lost a race to create a row: then kUnavailable (roll back, run it all again).
// On PostgreSQL it takes a transaction-scoped advisory lock on (sender, control_id) first, so
// two racing copies of one message cannot both be inserted.
// `ps` is the session's statements (ps.archive() holds the ones above).
Result<ArchiveOutcome> archive_rows(PreparedStatements& ps, const ArchiveRequest& request,
                                    std::int64_t now_micros, StoreTransaction& effect_tx,
                                    const bool& raced, const EffectUndo& undo = {});

// kNotFound when absent, or archived in another tenant.
Result<ArchivedMessage> read_message_row(soci::session& sql, Dialect dialect,
                                         std::string_view tenant, std::int64_t id);

// The tenant's messages matching `filter`.
std::vector<ArchivedMessage> list_message_rows(soci::session& sql, Dialect dialect,
                                               std::string_view tenant,
                                               const MessageFilter& filter);

}  // namespace hearth::storage::detail
