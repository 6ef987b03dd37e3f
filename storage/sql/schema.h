// The store's schema and its migrations: for each dialect an ordered list of steps, each
// taking the database from version N-1 to N. The version in place is kept in the one-row
// table `schema_version`. Tables (docs/storage.md):
//   resource(res_type, res_id, version, last_updated, deleted, method, seq, rid)
//       the CURRENT version of each resource, primary key (res_type, res_id); seq is that
//       version's row, rid the resource's key in the search index (search_index.h)
//   resource_version(seq, res_type, res_id, version, last_updated, deleted, method, body)
//       every version ever written; seq is a global insertion order used by history paging
//   hl7_message, search_param, idx_*: the message archive and the search index (docs/storage.md)
// last_updated is int64 microseconds since the epoch (UTC); deleted is 0/1; body is FHIR JSON
// text (empty for deletions).
//
// Thread-safety: migrate_schema runs in one transaction on the given session and is safe
// against concurrent migrators (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock).
#pragma once

#include "core/status.h"
#include "storage/store_url.h"

namespace soci {
class session;
}

namespace hearth::storage {

// The newest schema version this binary knows.
int latest_schema_version(Dialect dialect);

// Applies the pending migrations in one transaction and returns the version now in place.
// Errors: kInternal when a step fails (the database is left as it was) or when the database
// is already at a version newer than latest_schema_version (it is refused, untouched);
// kUnavailable when the connection fails.
Result<int> migrate_schema(soci::session& sql, Dialect dialect);

}  // namespace hearth::storage
