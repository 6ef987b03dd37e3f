// Migration steps per dialect. A step is a list of statements; steps are append-only: never
// edit a released step, add a new one. The differences between dialects are small and kept
// side by side so they stay in step.
#include "storage/sql/schema.h"

#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "storage/sql/search_index.h"
#include "storage/sql/sql_error.h"
#include "storage/sql/token_date_index.h"

namespace hearth::storage {
namespace {

using Step = std::vector<const char*>;

const std::vector<Step>& sqlite_steps() {
  static const std::vector<Step> steps = {
      // 1: resources and their versions. `resource` is clustered on its key (WITHOUT ROWID:
      // one b-tree, not a table plus an index), and `seq` is a plain rowid (no AUTOINCREMENT
      // bookkeeping page): versions are never deleted, so the rowid only grows. Each commit
      // then touches fewer pages, which is what a write costs in WAL mode.
      {
          "CREATE TABLE resource ("
          " res_type TEXT NOT NULL, res_id TEXT NOT NULL, version INTEGER NOT NULL,"
          " last_updated INTEGER NOT NULL, deleted INTEGER NOT NULL, method TEXT NOT NULL,"
          " body TEXT NOT NULL, PRIMARY KEY (res_type, res_id)) WITHOUT ROWID",
          "CREATE TABLE resource_version ("
          " seq INTEGER PRIMARY KEY, res_type TEXT NOT NULL,"
          " res_id TEXT NOT NULL, version INTEGER NOT NULL, last_updated INTEGER NOT NULL,"
          " deleted INTEGER NOT NULL, method TEXT NOT NULL, body TEXT NOT NULL,"
          " UNIQUE (res_type, res_id, version))",
          "CREATE INDEX resource_version_type_seq ON resource_version (res_type, seq)",
          "CREATE INDEX resource_version_last_updated ON resource_version (last_updated)",
      },
      // 2: every body is stored once, in its version row. `resource` keeps the current
      // version's metadata and `seq`, the rowid of that version's row, so a read is two
      // primary-key lookups and a write appends one body instead of two.
      {
          "ALTER TABLE resource ADD COLUMN seq INTEGER NOT NULL DEFAULT 0",
          "UPDATE resource SET seq = (SELECT v.seq FROM resource_version v"
          " WHERE v.res_type = resource.res_type AND v.res_id = resource.res_id"
          " AND v.version = resource.version)",
          "ALTER TABLE resource DROP COLUMN body",
      },
      // 3: the inbound message archive (HL7 v2): every message received, its ACK and outcome.
      {
          "CREATE TABLE hl7_message ("
          " id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, peer TEXT NOT NULL,"
          " sender TEXT NOT NULL, control_id TEXT NOT NULL, message_type TEXT NOT NULL,"
          " version TEXT NOT NULL, status TEXT NOT NULL, raw TEXT NOT NULL, ack TEXT NOT NULL,"
          " note TEXT NOT NULL)",
          "CREATE INDEX hl7_message_sender_control ON hl7_message (sender, control_id)",
          "CREATE INDEX hl7_message_received_at ON hl7_message (received_at)",
      },
      // 4: nothing here: a TEXT column keeps any bytes (PostgreSQL's raw and ack become BYTEA).
      {},
      // 5: the search index (search_index.h): one table per search-parameter type, rows keyed
      // by the resource they belong to. Filled for existing resources by the reindex that
      // follows this step (kReindexSteps).
      {
          "CREATE TABLE idx_string (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, folded TEXT NOT NULL, exact TEXT NOT NULL)",
          "CREATE INDEX idx_string_find ON idx_string (res_type, param, folded)",
          "CREATE INDEX idx_string_owner ON idx_string (res_type, res_id)",
          "CREATE TABLE idx_token (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL)",
          "CREATE INDEX idx_token_find ON idx_token (res_type, param, code, system)",
          "CREATE INDEX idx_token_owner ON idx_token (res_type, res_id)",
          "CREATE TABLE idx_date (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL)",
          "CREATE INDEX idx_date_find ON idx_date (res_type, param, low, high)",
          "CREATE INDEX idx_date_owner ON idx_date (res_type, res_id)",
          "CREATE TABLE idx_number (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, value REAL NOT NULL)",
          "CREATE INDEX idx_number_find ON idx_number (res_type, param, value)",
          "CREATE INDEX idx_number_owner ON idx_number (res_type, res_id)",
          "CREATE TABLE idx_quantity (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, value REAL NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL)",
          "CREATE INDEX idx_quantity_find ON idx_quantity (res_type, param, value)",
          "CREATE INDEX idx_quantity_owner ON idx_quantity (res_type, res_id)",
          "CREATE TABLE idx_reference (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,"
          " url TEXT NOT NULL)",
          "CREATE INDEX idx_reference_find ON idx_reference (res_type, param, target_id)",
          "CREATE INDEX idx_reference_target ON idx_reference (target_type, target_id)",
          "CREATE INDEX idx_reference_owner ON idx_reference (res_type, res_id)",
          "CREATE TABLE idx_uri (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, uri TEXT NOT NULL)",
          "CREATE INDEX idx_uri_find ON idx_uri (res_type, param, uri)",
          "CREATE INDEX idx_uri_owner ON idx_uri (res_type, res_id)",
      },
      // 6: a stored content hash per message, so a resend is found among the messages that
      // reuse its control id by one index lookup instead of comparing every earlier text.
      // Rows archived before it have NULL and are compared by text.
      {
          "ALTER TABLE hl7_message ADD COLUMN content_hash INTEGER",
          "CREATE INDEX hl7_message_resend ON hl7_message (sender, control_id, content_hash)",
          "DROP INDEX hl7_message_sender_control",
      },
      // 7: the search index, smaller and cheaper to write. Each resource gets `rid`, a stable
      // integer key (its first version's seq), and each (resource type, parameter code) a small
      // integer id in `search_param` (search_index.h). Index rows carry (rid, pid) instead of
      // (res_type, res_id, param) texts, and each table is clustered on its owner (WITHOUT ROWID,
      // primary key from rid): a create appends its rows at the b-tree's right edge, a delete is
      // one range, and the only other b-tree per table is the one searches use (`_find`). The
      // rows are rebuilt by the reindex that follows this step.
      {
          "ALTER TABLE resource ADD COLUMN rid INTEGER NOT NULL DEFAULT 0",
          "UPDATE resource SET rid = seq",
          "CREATE INDEX resource_rid ON resource (rid)",
          "CREATE TABLE search_param (id INTEGER PRIMARY KEY, res_type TEXT NOT NULL,"
          " code TEXT NOT NULL, UNIQUE (res_type, code))",
          "DROP TABLE idx_string",
          "DROP TABLE idx_token",
          "DROP TABLE idx_date",
          "DROP TABLE idx_number",
          "DROP TABLE idx_quantity",
          "DROP TABLE idx_reference",
          "DROP TABLE idx_uri",
          "CREATE TABLE idx_string (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " folded TEXT NOT NULL, exact TEXT NOT NULL,"
          " PRIMARY KEY (rid, pid, folded, exact)) WITHOUT ROWID",
          "CREATE INDEX idx_string_find ON idx_string (pid, folded)",
          "CREATE TABLE idx_token (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " system TEXT NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL,"
          " PRIMARY KEY (rid, pid, code, system, text)) WITHOUT ROWID",
          "CREATE INDEX idx_token_find ON idx_token (pid, code, system)",
          "CREATE TABLE idx_date (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " low INTEGER NOT NULL, high INTEGER NOT NULL,"
          " PRIMARY KEY (rid, pid, low, high)) WITHOUT ROWID",
          "CREATE INDEX idx_date_find ON idx_date (pid, low, high)",
          "CREATE TABLE idx_number (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " value REAL NOT NULL, PRIMARY KEY (rid, pid, value)) WITHOUT ROWID",
          "CREATE INDEX idx_number_find ON idx_number (pid, value)",
          "CREATE TABLE idx_quantity (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " value REAL NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL,"
          " PRIMARY KEY (rid, pid, value, system, code)) WITHOUT ROWID",
          "CREATE INDEX idx_quantity_find ON idx_quantity (pid, value)",
          "CREATE TABLE idx_reference (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " target_type TEXT NOT NULL, target_id TEXT NOT NULL, url TEXT NOT NULL,"
          " PRIMARY KEY (rid, pid, url, target_type, target_id)) WITHOUT ROWID",
          "CREATE INDEX idx_reference_find ON idx_reference (pid, target_id)",
          "CREATE TABLE idx_uri (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " uri TEXT NOT NULL, PRIMARY KEY (rid, pid, uri)) WITHOUT ROWID",
          "CREATE INDEX idx_uri_find ON idx_uri (pid, uri)",
      },
      // 8: references by target, whatever the parameter: `_revinclude=*` asks which rows of
      // any type point at a page's resources (idx_reference_find needs the parameter first).
      {
          "CREATE INDEX idx_reference_target ON idx_reference (target_id, target_type)",
      },
      // 9: no statement; the reindex after it gives ContactPoint tokens their system.
      {},
      // 10: the sender's verified identity (the client certificate subject of an MLLP/TLS
      // connection under mutual TLS); "" for messages that came without one.
      {
          "ALTER TABLE hl7_message ADD COLUMN sender_identity TEXT NOT NULL DEFAULT ''",
      },
      // 11: fixed planner statistics, the shape ANALYZE gives a store of a million resources.
      // Without statistics SQLite guesses that `res_type = ?` on the resource key selects few
      // rows, and answers `Observation?identifier=x` by walking every Observation in id order,
      // probing the index list for each: a conditional create that matches nothing (every new
      // patient, order or result of an HL7 message) cost a scan of the whole type. With these,
      // a search starts from the search index's rows, as selective as its parameter. Fixed, not
      // measured: the plans do not change as the data grows, and ANALYZE never runs (it reads
      // every index). Each row: rows in the index, then rows per distinct prefix of its columns.
      {
          "ANALYZE sqlite_schema",  // creates sqlite_stat1 (it cannot be created by name)
          "DELETE FROM sqlite_stat1",
          "INSERT INTO sqlite_stat1 VALUES"
          " ('resource', 'resource', '1000000 20000 1'),"
          " ('resource', 'resource_rid', '1000000 1'),"
          " ('resource_version', 'resource_version_type_seq', '2000000 40000 1'),"
          " ('resource_version', 'resource_version_last_updated', '2000000 1'),"
          " ('resource_version', 'sqlite_autoindex_resource_version_1', '2000000 40000 1 1'),"
          " ('search_param', 'sqlite_autoindex_search_param_1', '2212 16 1'),"
          " ('idx_token', 'idx_token', '6000000 6 1 1 1 1'),"
          " ('idx_token', 'idx_token_find', '6000000 20000 8 4'),"
          " ('idx_string', 'idx_string', '3000000 3 1 1 1'),"
          " ('idx_string', 'idx_string_find', '3000000 20000 4'),"
          " ('idx_date', 'idx_date', '2000000 2 1 1 1'),"
          " ('idx_date', 'idx_date_find', '2000000 20000 20 10'),"
          " ('idx_number', 'idx_number', '200000 1 1 1'),"
          " ('idx_number', 'idx_number_find', '200000 2000 10'),"
          " ('idx_quantity', 'idx_quantity', '1000000 1 1 1 1 1'),"
          " ('idx_quantity', 'idx_quantity_find', '1000000 10000 20'),"
          " ('idx_reference', 'idx_reference', '5000000 5 2 1 1 1'),"
          " ('idx_reference', 'idx_reference_find', '5000000 20000 5'),"
          " ('idx_reference', 'idx_reference_target', '5000000 5 5'),"
          " ('idx_uri', 'idx_uri', '1000000 1 1 1'),"
          " ('idx_uri', 'idx_uri_find', '1000000 10000 5'),"
          " ('hl7_message', 'hl7_message_received_at', '1000000 1'),"
          " ('hl7_message', 'hl7_message_resend', '1000000 2 1 1')",
          "ANALYZE sqlite_schema",
      },
      // 12: no statement; the reindex after it adds the identifier:of-type rows and the target
      // type and id of canonical references (fhir/search/index_values.h).
      {},
      // 13: composite search parameters (storage/sql/composite_index.h): one row per value of
      // each component of each element, grouped by `grp`; a search probes a group's further
      // components through the key. Filled by the reindex that follows. Statistics as for 11.
      {
          "CREATE TABLE idx_composite (rid INTEGER NOT NULL, pid INTEGER NOT NULL,"
          " grp INTEGER NOT NULL, comp INTEGER NOT NULL, system TEXT NOT NULL,"
          " code TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL, exact TEXT NOT NULL,"
          " low INTEGER NOT NULL, high INTEGER NOT NULL, value REAL NOT NULL,"
          " target_type TEXT NOT NULL, target_id TEXT NOT NULL, url TEXT NOT NULL,"
          " PRIMARY KEY (rid, pid, grp, comp, code, system, text, folded, exact, low, high,"
          " value, target_type, target_id, url)) WITHOUT ROWID",
          "CREATE INDEX idx_composite_find ON idx_composite (pid, comp, code, system)",
          "INSERT INTO sqlite_stat1 VALUES"
          " ('idx_composite', 'idx_composite', '1000000 4 2 1 1 1 1 1 1 1 1 1 1 1 1 1'),"
          " ('idx_composite', 'idx_composite_find', '1000000 20000 10000 20 10')",
          "ANALYZE sqlite_schema",
      },
      // 14: the dictionary of sound-alike keys (storage/sql/phonetic_index.h): each name part
      // the store has indexed, under each Soundex key it gives. Filled by the reindex after it.
      {
          "CREATE TABLE phonetic_name (sound TEXT NOT NULL, folded TEXT NOT NULL,"
          " PRIMARY KEY (sound, folded)) WITHOUT ROWID",
          "INSERT INTO sqlite_stat1 VALUES ('phonetic_name', 'phonetic_name', '100000 20 1')",
          "ANALYZE sqlite_schema",
      },
      // 15: the full-text rows of _text and _content (storage/sql/text_index.h): the words of
      // each resource (key `rid`), a narrative word with a '_' before it, in idx_text_pending
      // when written and in idx_text_words once moved, in batches, into idx_text, the FTS5 index
      // over idx_text_words (external content: the words are stored once). The ascii tokenizer
      // splits the words as they were written (single spaces; other bytes are word bytes);
      // detail=none keeps no positions or columns (a search matches words, not phrases, and the
      // '_' tells narrative from content); columnsize=0 drops the sizes only ranking reads.
      // Filled by the reindex.
      {
          "CREATE TABLE idx_text_words (rid INTEGER PRIMARY KEY, words TEXT NOT NULL)",
          "CREATE TABLE idx_text_pending (rid INTEGER PRIMARY KEY, words TEXT NOT NULL)",
          "CREATE VIRTUAL TABLE idx_text USING fts5(words, content='idx_text_words',"
          " content_rowid='rid', detail=none, columnsize=0, tokenize=\"ascii tokenchars '_'\")",
      },
      // 16: no statement; the reindex after it adds the canonical rows of UCUM quantities
      // (fhir/search/ucum.h).
      {},
      // 17: the FTS5 index splits its texts with hearth_words (words_tokenizer.h), which only
      // splits at spaces, instead of the ascii tokenizer; rebuilt from idx_text_words, which
      // holds exactly the rows it indexed (the pending rows wait in idx_text_pending). Its
      // segments are merged 16 at a time instead of 4 (automerge): each word of a resource is
      // rewritten by half as many merges, which were most of a create's full-text cost at
      // 20,000 resources, and a search reads at most 15 segments per level instead of 3.
      {
          "DROP TABLE idx_text",
          "CREATE VIRTUAL TABLE idx_text USING fts5(words, content='idx_text_words',"
          " content_rowid='rid', detail=none, columnsize=0, tokenize='hearth_words')",
          "INSERT INTO idx_text (idx_text, rank) VALUES ('automerge', 16)",
          "INSERT INTO idx_text (idx_text) VALUES ('rebuild')",
      },
      // 18: tenants (docs/tenancy.md). Every resource row, version row, search parameter id
      // and archived message names its tenant, first in its keys; "" is the tenant of
      // `--tenancy none`, where every row stored before lands. The index rows (idx_*) are not
      // touched: each names its parameter by `pid`, and a parameter's id now belongs to one
      // tenant (search_param is keyed by (tenant, res_type, code)), so an index row is its
      // tenant's through its pid, and every search reads the rows of its tenant's ids only.
      // The full-text rows are keyed by rid, which belongs to one resource row and so to one
      // tenant. SQLite cannot change a key in place: the three keyed tables are rebuilt (rowids
      // and ids kept, so rid, seq and pid stay valid).
      {
          "CREATE TABLE resource_t (tenant TEXT NOT NULL DEFAULT '', res_type TEXT NOT NULL,"
          " res_id TEXT NOT NULL, version INTEGER NOT NULL, last_updated INTEGER NOT NULL,"
          " deleted INTEGER NOT NULL, method TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0,"
          " rid INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant, res_type, res_id)) WITHOUT ROWID",
          "INSERT INTO resource_t (tenant, res_type, res_id, version, last_updated, deleted,"
          " method, seq, rid) SELECT '', res_type, res_id, version, last_updated, deleted, method,"
          " seq, rid FROM resource",
          "DROP TABLE resource",
          "ALTER TABLE resource_t RENAME TO resource",
          "CREATE INDEX resource_rid ON resource (rid)",
          "CREATE TABLE resource_version_t (seq INTEGER PRIMARY KEY,"
          " tenant TEXT NOT NULL DEFAULT '', res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " version INTEGER NOT NULL, last_updated INTEGER NOT NULL, deleted INTEGER NOT NULL,"
          " method TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (tenant, res_type, res_id, version))",
          "INSERT INTO resource_version_t (seq, tenant, res_type, res_id, version, last_updated,"
          " deleted, method, body) SELECT seq, '', res_type, res_id, version, last_updated,"
          " deleted, method, body FROM resource_version",
          "DROP TABLE resource_version",
          "ALTER TABLE resource_version_t RENAME TO resource_version",
          "CREATE INDEX resource_version_type_seq ON resource_version (tenant, res_type, seq)",
          "CREATE INDEX resource_version_last_updated ON resource_version"
          " (tenant, last_updated)",
          "CREATE TABLE search_param_t (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL DEFAULT '',"
          " res_type TEXT NOT NULL, code TEXT NOT NULL, UNIQUE (tenant, res_type, code))",
          "INSERT INTO search_param_t (id, tenant, res_type, code)"
          " SELECT id, '', res_type, code FROM search_param",
          "DROP TABLE search_param",
          "ALTER TABLE search_param_t RENAME TO search_param",
          "ALTER TABLE hl7_message ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
          "DROP INDEX hl7_message_resend",
          "DROP INDEX hl7_message_received_at",
          "CREATE INDEX hl7_message_resend ON hl7_message"
          " (tenant, sender, control_id, content_hash)",
          "CREATE INDEX hl7_message_received_at ON hl7_message (tenant, received_at)",
          // The statistics of step 11, with the tenant's column: one tenant holds everything.
          "DELETE FROM sqlite_stat1 WHERE tbl IN"
          " ('resource', 'resource_version', 'search_param', 'hl7_message')",
          "INSERT INTO sqlite_stat1 VALUES"
          " ('resource', 'resource', '1000000 1000000 20000 1'),"
          " ('resource', 'resource_rid', '1000000 1'),"
          " ('resource_version', 'resource_version_type_seq', '2000000 2000000 40000 1'),"
          " ('resource_version', 'resource_version_last_updated', '2000000 2000000 1'),"
          " ('resource_version', 'sqlite_autoindex_resource_version_1',"
          " '2000000 2000000 40000 1 1'),"
          " ('search_param', 'sqlite_autoindex_search_param_1', '2212 2212 16 1'),"
          " ('hl7_message', 'hl7_message_received_at', '1000000 1000000 1'),"
          " ('hl7_message', 'hl7_message_resend', '1000000 1000000 2 1 1')",
          "ANALYZE sqlite_schema",
      },
      // 19: the shape of each date parameter's rows (storage/sql/date_shape.h), which lets the
      // planner read two clauses of one date parameter as one range of idx_date_find: the
      // longest span of a row (capped at 2^62: an open Period's span overflows, and SQLite then
      // computes it as a REAL) and whether a resource has two rows. Computed here from the rows
      // there are (one pass over idx_date), then kept by the index writer.
      {
          "ALTER TABLE search_param ADD COLUMN date_span INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE search_param ADD COLUMN date_several INTEGER NOT NULL DEFAULT 0",
          "UPDATE search_param SET date_span = (SELECT CAST(MIN(MAX(i.high - i.low),"
          " 4611686018427387904) AS INTEGER) FROM idx_date i WHERE i.pid = search_param.id)"
          " WHERE id IN (SELECT DISTINCT pid FROM idx_date)",
          "UPDATE search_param SET date_several = 1 WHERE id IN"
          " (SELECT pid FROM idx_date GROUP BY rid, pid HAVING COUNT(*) > 1)",
      },
      // 20: the token-by-date index (storage/sql/token_date_index.h), which lets the date walk
      // read a token clause with its date range (`code=x&date=2008-05-01`) in date order: a
      // row per (date parameter of which the resource has one row, coded token parameter,
      // code), clustered in the walk's order, so a row costs a write one b-tree entry. Filled
      // after the steps from the rows there are (fill_token_date_index: which parameters it
      // pairs is the model's, not SQL's), then kept by the index writer.
      {
          "CREATE TABLE idx_token_date (pid INTEGER NOT NULL, tpid INTEGER NOT NULL,"
          " code TEXT NOT NULL, low INTEGER NOT NULL, rid INTEGER NOT NULL,"
          " high INTEGER NOT NULL, PRIMARY KEY (pid, tpid, code, low, rid)) WITHOUT ROWID",
      },
      // 21: resource_rid covers what a page's ordering reads of each match (search_compiler.h,
      // page_select): its rid, whether it is deleted, and its key (every index of a WITHOUT
      // ROWID table holds the key). A set of 481 name matches read each resource row to learn
      // `deleted` and the id: 137 -> 113 page reads (pread) a page, about 6 s at 1M resources.
      {
          "DROP INDEX resource_rid",
          "CREATE INDEX resource_rid ON resource (rid, deleted)",
          "UPDATE sqlite_stat1 SET stat = '1000000 1 1' WHERE idx = 'resource_rid'",
          "ANALYZE sqlite_schema",
      },
      // 22: no index of references by target alone (step 8's). It was a third of what a
      // reference row cost a write, and an HL7 result message writes about 90 reference rows;
      // `_revinclude=*` now names the parameters that can point at each type
      // (include_compiler.cpp) and reads idx_reference_find (pid, target_id) as every other
      // reference search does.
      {
          "DROP INDEX IF EXISTS idx_reference_target",
          "DELETE FROM sqlite_stat1 WHERE idx = 'idx_reference_target'",
          "ANALYZE sqlite_schema",
      },
      // 23: idx_composite_find holds the first component of each group only (a partial index).
      // A search starts from a group's first component and probes the others through the
      // table's key (search_compiler.cpp, composite_condition), so the further components'
      // entries were never read: two of every three an Observation's code-value-quantity rows
      // wrote there (its value, and the value in UCUM's canonical units).
      {
          "DROP INDEX IF EXISTS idx_composite_find",
          "CREATE INDEX idx_composite_find ON idx_composite (pid, code, system) WHERE comp = 0",
          "DELETE FROM sqlite_stat1 WHERE idx = 'idx_composite_find'",
          "INSERT INTO sqlite_stat1 VALUES"
          " ('idx_composite', 'idx_composite_find', '400000 8000 20 10')",
          "ANALYZE sqlite_schema",
      },
  };
  return steps;
}

const std::vector<Step>& postgresql_steps() {
  static const std::vector<Step> steps = {
      // 1: resources and their versions.
      {
          "CREATE TABLE resource ("
          " res_type TEXT NOT NULL, res_id TEXT NOT NULL, version BIGINT NOT NULL,"
          " last_updated BIGINT NOT NULL, deleted INTEGER NOT NULL, method TEXT NOT NULL,"
          " body TEXT NOT NULL, PRIMARY KEY (res_type, res_id))",
          "CREATE TABLE resource_version ("
          " seq BIGSERIAL PRIMARY KEY, res_type TEXT NOT NULL,"
          " res_id TEXT NOT NULL, version BIGINT NOT NULL, last_updated BIGINT NOT NULL,"
          " deleted INTEGER NOT NULL, method TEXT NOT NULL, body TEXT NOT NULL,"
          " UNIQUE (res_type, res_id, version))",
          "CREATE INDEX resource_version_type_seq ON resource_version (res_type, seq)",
          "CREATE INDEX resource_version_last_updated ON resource_version (last_updated)",
      },
      // 2: every body is stored once (as for SQLite).
      {
          "ALTER TABLE resource ADD COLUMN seq BIGINT",
          "UPDATE resource r SET seq = v.seq FROM resource_version v"
          " WHERE v.res_type = r.res_type AND v.res_id = r.res_id AND v.version = r.version",
          "ALTER TABLE resource ALTER COLUMN seq SET NOT NULL",
          "ALTER TABLE resource DROP COLUMN body",
      },
      // 3: the inbound message archive (as for SQLite).
      {
          "CREATE TABLE hl7_message ("
          " id BIGSERIAL PRIMARY KEY, received_at BIGINT NOT NULL, peer TEXT NOT NULL,"
          " sender TEXT NOT NULL, control_id TEXT NOT NULL, message_type TEXT NOT NULL,"
          " version TEXT NOT NULL, status TEXT NOT NULL, raw TEXT NOT NULL, ack TEXT NOT NULL,"
          " note TEXT NOT NULL)",
          "CREATE INDEX hl7_message_sender_control ON hl7_message (sender, control_id)",
          "CREATE INDEX hl7_message_received_at ON hl7_message (received_at)",
      },
      // 4: raw messages and ACKs are bytes, stored as received (8859/1 text is not UTF-8).
      {
          "ALTER TABLE hl7_message ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8')",
          "ALTER TABLE hl7_message ALTER COLUMN ack TYPE BYTEA USING convert_to(ack, 'UTF8')",
      },
      // 5: the search index (as for SQLite). Text compared by range (prefix search) uses the
      // "C" collation: byte order, the order fold_text's output and the bounds assume.
      {
          "CREATE TABLE idx_string (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, folded TEXT COLLATE \"C\" NOT NULL, exact TEXT NOT NULL)",
          "CREATE INDEX idx_string_find ON idx_string (res_type, param, folded)",
          "CREATE INDEX idx_string_owner ON idx_string (res_type, res_id)",
          "CREATE TABLE idx_token (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL,"
          " text TEXT COLLATE \"C\" NOT NULL)",
          "CREATE INDEX idx_token_find ON idx_token (res_type, param, code, system)",
          "CREATE INDEX idx_token_owner ON idx_token (res_type, res_id)",
          "CREATE TABLE idx_date (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, low BIGINT NOT NULL, high BIGINT NOT NULL)",
          "CREATE INDEX idx_date_find ON idx_date (res_type, param, low, high)",
          "CREATE INDEX idx_date_owner ON idx_date (res_type, res_id)",
          "CREATE TABLE idx_number (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, value DOUBLE PRECISION NOT NULL)",
          "CREATE INDEX idx_number_find ON idx_number (res_type, param, value)",
          "CREATE INDEX idx_number_owner ON idx_number (res_type, res_id)",
          "CREATE TABLE idx_quantity (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, system TEXT NOT NULL,"
          " code TEXT NOT NULL)",
          "CREATE INDEX idx_quantity_find ON idx_quantity (res_type, param, value)",
          "CREATE INDEX idx_quantity_owner ON idx_quantity (res_type, res_id)",
          "CREATE TABLE idx_reference (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,"
          " url TEXT NOT NULL)",
          "CREATE INDEX idx_reference_find ON idx_reference (res_type, param, target_id)",
          "CREATE INDEX idx_reference_target ON idx_reference (target_type, target_id)",
          "CREATE INDEX idx_reference_owner ON idx_reference (res_type, res_id)",
          "CREATE TABLE idx_uri (res_type TEXT NOT NULL, res_id TEXT NOT NULL,"
          " param TEXT NOT NULL, uri TEXT COLLATE \"C\" NOT NULL)",
          "CREATE INDEX idx_uri_find ON idx_uri (res_type, param, uri)",
          "CREATE INDEX idx_uri_owner ON idx_uri (res_type, res_id)",
      },
      // 6: a content hash per message (as for SQLite).
      {
          "ALTER TABLE hl7_message ADD COLUMN content_hash BIGINT",
          "CREATE INDEX hl7_message_resend ON hl7_message (sender, control_id, content_hash)",
          "DROP INDEX hl7_message_sender_control",
      },
      // 7: the search index keyed by (rid, pid) (as for SQLite). PostgreSQL has no clustered
      // tables: each idx_* table is a heap with an owner index (rid, pid: deletes and _sort) and
      // the find index, which ends in rid so that a search reads the index alone.
      {
          "ALTER TABLE resource ADD COLUMN rid BIGINT",
          "UPDATE resource SET rid = seq",
          "ALTER TABLE resource ALTER COLUMN rid SET NOT NULL",
          "CREATE INDEX resource_rid ON resource (rid)",
          "CREATE TABLE search_param (id INTEGER PRIMARY KEY, res_type TEXT NOT NULL,"
          " code TEXT NOT NULL, UNIQUE (res_type, code))",
          "DROP TABLE idx_string, idx_token, idx_date, idx_number, idx_quantity, idx_reference,"
          " idx_uri",
          "CREATE TABLE idx_string (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " folded TEXT COLLATE \"C\" NOT NULL, exact TEXT NOT NULL)",
          "CREATE INDEX idx_string_owner ON idx_string (rid, pid)",
          "CREATE INDEX idx_string_find ON idx_string (pid, folded, rid)",
          "CREATE TABLE idx_token (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " system TEXT NOT NULL, code TEXT NOT NULL, text TEXT COLLATE \"C\" NOT NULL)",
          "CREATE INDEX idx_token_owner ON idx_token (rid, pid)",
          "CREATE INDEX idx_token_find ON idx_token (pid, code, system, rid)",
          "CREATE TABLE idx_date (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " low BIGINT NOT NULL, high BIGINT NOT NULL)",
          "CREATE INDEX idx_date_owner ON idx_date (rid, pid)",
          "CREATE INDEX idx_date_find ON idx_date (pid, low, high, rid)",
          "CREATE TABLE idx_number (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " value DOUBLE PRECISION NOT NULL)",
          "CREATE INDEX idx_number_owner ON idx_number (rid, pid)",
          "CREATE INDEX idx_number_find ON idx_number (pid, value, rid)",
          "CREATE TABLE idx_quantity (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " value DOUBLE PRECISION NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL)",
          "CREATE INDEX idx_quantity_owner ON idx_quantity (rid, pid)",
          "CREATE INDEX idx_quantity_find ON idx_quantity (pid, value, rid)",
          "CREATE TABLE idx_reference (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " target_type TEXT NOT NULL, target_id TEXT NOT NULL, url TEXT NOT NULL)",
          "CREATE INDEX idx_reference_owner ON idx_reference (rid, pid)",
          "CREATE INDEX idx_reference_find ON idx_reference (pid, target_id, rid)",
          "CREATE TABLE idx_uri (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " uri TEXT COLLATE \"C\" NOT NULL)",
          "CREATE INDEX idx_uri_owner ON idx_uri (rid, pid)",
          "CREATE INDEX idx_uri_find ON idx_uri (pid, uri, rid)",
      },
      // 8: references by target (see the SQLite step).
      {
          "CREATE INDEX idx_reference_target ON idx_reference (target_id, target_type, rid)",
      },
      // 9: see the SQLite step.
      {},
      // 10: the sender's verified identity (as for SQLite).
      {
          "ALTER TABLE hl7_message ADD COLUMN sender_identity TEXT NOT NULL DEFAULT ''",
      },
      // 11: nothing: PostgreSQL's own ANALYZE (autovacuum) keeps its statistics (see SQLite).
      {},
      // 12: see the SQLite step.
      {},
      // 13: composite search parameters (see the SQLite step); the owner index serves deletes
      // and the probe of a group's further components.
      {
          "CREATE TABLE idx_composite (rid BIGINT NOT NULL, pid INTEGER NOT NULL,"
          " grp INTEGER NOT NULL, comp INTEGER NOT NULL, system TEXT NOT NULL,"
          " code TEXT NOT NULL, text TEXT COLLATE \"C\" NOT NULL,"
          " folded TEXT COLLATE \"C\" NOT NULL, exact TEXT NOT NULL, low BIGINT NOT NULL,"
          " high BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL, target_type TEXT NOT NULL,"
          " target_id TEXT NOT NULL, url TEXT NOT NULL)",
          "CREATE INDEX idx_composite_owner ON idx_composite (rid, pid, grp, comp)",
          "CREATE INDEX idx_composite_find ON idx_composite (pid, comp, code, system, rid)",
      },
      // 14: the dictionary of sound-alike keys (see the SQLite step).
      {
          "CREATE TABLE phonetic_name (sound TEXT NOT NULL, folded TEXT COLLATE \"C\" NOT NULL,"
          " PRIMARY KEY (sound, folded))",
      },
      // 15: the full-text table (see the SQLite step): the words as tsvectors of the 'simple'
      // configuration (no stemming: they come folded), each under a GIN index.
      {
          "CREATE TABLE idx_text (rid BIGINT PRIMARY KEY, narrative TSVECTOR NOT NULL,"
          " content TSVECTOR NOT NULL)",
          "CREATE INDEX idx_text_narrative ON idx_text USING GIN (narrative)",
          "CREATE INDEX idx_text_content ON idx_text USING GIN (content)",
      },
      // 16: see the SQLite step.
      {},
      // 17: SQLite only (its full-text tokenizer).
      {},
      // 18: tenants (see the SQLite step): the column added, the keys rebuilt with it first.
      {
          "ALTER TABLE resource ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE resource DROP CONSTRAINT resource_pkey",
          "ALTER TABLE resource ADD PRIMARY KEY (tenant, res_type, res_id)",
          "ALTER TABLE resource_version ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE resource_version"
          " DROP CONSTRAINT resource_version_res_type_res_id_version_key",
          "ALTER TABLE resource_version ADD CONSTRAINT resource_version_key"
          " UNIQUE (tenant, res_type, res_id, version)",
          "DROP INDEX resource_version_type_seq",
          "DROP INDEX resource_version_last_updated",
          "CREATE INDEX resource_version_type_seq ON resource_version (tenant, res_type, seq)",
          "CREATE INDEX resource_version_last_updated ON resource_version"
          " (tenant, last_updated)",
          "ALTER TABLE search_param ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE search_param DROP CONSTRAINT search_param_res_type_code_key",
          "ALTER TABLE search_param ADD CONSTRAINT search_param_key"
          " UNIQUE (tenant, res_type, code)",
          "ALTER TABLE hl7_message ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
          "DROP INDEX hl7_message_resend",
          "DROP INDEX hl7_message_received_at",
          "CREATE INDEX hl7_message_resend ON hl7_message"
          " (tenant, sender, control_id, content_hash)",
          "CREATE INDEX hl7_message_received_at ON hl7_message (tenant, received_at)",
      },
      // 19: SQLite only (its planner's date statistics; PostgreSQL keeps its own).
      {},
      // 20: SQLite only (the date walk is its planner's; PostgreSQL plans from its statistics).
      {},
      // 21: SQLite only (a covering index of its WITHOUT ROWID resource table).
      {},
      // 22: the index of references by target alone dropped (see the SQLite step).
      {
          "DROP INDEX IF EXISTS idx_reference_target",
      },
      // 23: first components only in idx_composite_find (see the SQLite step).
      {
          "DROP INDEX IF EXISTS idx_composite_find",
          "CREATE INDEX idx_composite_find ON idx_composite (pid, code, system, rid)"
          " WHERE comp = 0",
      },
  };
  return steps;
}

const std::vector<Step>& steps_for(Dialect dialect) {
  return dialect == Dialect::kSqlite ? sqlite_steps() : postgresql_steps();
}

// Steps after which every current resource is indexed again: the search index appeared (5), or
// what it holds changed. Append a new (possibly empty) step to this list to trigger a reindex.
constexpr std::array<int, 8> kReindexSteps = {5, 7, 9, 12, 13, 14, 15, 16};

// The SQLite step that creates idx_token_date, which fill_token_date_index fills after the steps.
constexpr int kTokenDateStep = 20;

// Any constant: serialises concurrent migrators (replicas starting together).
constexpr long long kMigrationLockKey = 0x4865617274680001LL;

void begin(soci::session& sql, Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    sql << "BEGIN IMMEDIATE";
  } else {
    sql << "BEGIN";
    sql << "SELECT pg_advisory_xact_lock(" << kMigrationLockKey << ")";
  }
}

// Runs inside the transaction; returns the version reached.
Result<int> apply_steps(soci::session& sql, Dialect dialect) {
  sql << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
  int current = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT MAX(version) FROM schema_version", soci::into(current, ind);
  if (ind != soci::i_ok) current = 0;
  const std::vector<Step>& steps = steps_for(dialect);
  const int latest = static_cast<int>(steps.size());
  if (current > latest) {
    return Status(Code::kInternal, "database schema version " + std::to_string(current) +
                                       " is newer than this Hearth binary supports (" +
                                       std::to_string(latest) +
                                       "); refusing to open it: upgrade Hearth");
  }
  bool reindex = false;
  for (int v = current + 1; v <= latest; ++v) {
    for (const char* statement : steps[v - 1]) sql << statement;
    reindex =
        reindex || std::find(kReindexSteps.begin(), kReindexSteps.end(), v) != kReindexSteps.end();
  }
  // Every parameter this binary indexes has its id before any index row is written.
  detail::sync_search_params(sql);
  // Schema 20's table is filled from the rows there are, by the parameters the model pairs.
  if (dialect == Dialect::kSqlite && current < kTokenDateStep && latest >= kTokenDateStep) {
    detail::fill_token_date_index(sql);
  }
  // Resources stored before the index existed (or before its rules changed) are indexed in
  // the same transaction: a database is never at a schema version with a stale index.
  if (reindex && current > 0) detail::reindex_all(sql, dialect);
  if (current != latest) {
    sql << "DELETE FROM schema_version";
    sql << "INSERT INTO schema_version (version) VALUES (:v)", soci::use(latest);
  }
  return latest;
}

}  // namespace

int latest_schema_version(Dialect dialect) {
  return static_cast<int>(steps_for(dialect).size());
}

Result<int> migrate_schema(soci::session& sql, Dialect dialect) {
  bool in_transaction = false;
  try {
    begin(sql, dialect);
    in_transaction = true;
    Result<int> reached = apply_steps(sql, dialect);
    if (reached.is_ok()) {
      sql << "COMMIT";
    } else {
      sql << "ROLLBACK";
    }
    return reached;
  } catch (...) {
    Status status = status_from_current_exception("schema migration");
    if (in_transaction) {
      try {
        sql << "ROLLBACK";
      } catch (...) {  // the connection may be gone; the transaction dies with it
      }
    }
    return status;
  }
}

}  // namespace hearth::storage
