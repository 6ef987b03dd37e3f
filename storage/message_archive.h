// Internal to storage/: the SQL of the inbound message archive (hl7_message), shared by both
// engines. These run on a session the caller leased and, for archive_rows, inside a write
// transaction the caller opened (SqlStore decides how: group commit on SQLite, one transaction
// per call on PostgreSQL).
//
// Errors: SOCI exceptions propagate (the caller translates them); archive_rows returns kInternal
// for a request without make_ack. Thread-safety: none beyond the session's.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "storage/store.h"
#include "storage/store_url.h"

namespace hearth::storage::detail {

// Looks up, decides and inserts (see Store::archive_message). `now_micros` is received_at.
// On PostgreSQL it takes a transaction-scoped advisory lock on (sender, control_id) first, so
// two racing copies of one message cannot both be inserted.
Result<ArchiveOutcome> archive_rows(soci::session& sql, Dialect dialect,
                                    const ArchiveRequest& request, std::int64_t now_micros);

// kNotFound when absent.
Result<ArchivedMessage> read_message_row(soci::session& sql, std::int64_t id);

std::vector<ArchivedMessage> list_message_rows(soci::session& sql, const MessageFilter& filter);

}  // namespace hearth::storage::detail
