// The archive's statements: the write path's are prepared once per session (ArchiveStatements);
// the operator's reads (one message, a filtered list) are prepared per call.
#include "storage/sql/archive_rows.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/content_hash.h"
#include "storage/sql/prepare_statement.h"
#include "storage/sql/sqlite_statement.h"

namespace hearth::storage {
namespace detail {
namespace {

using soci::into;
using soci::use;

// PostgreSQL keeps raw and ack as BYTEA (schema 4) and they travel as hex text (SOCI binds
// strings as text); SQLite keeps them in TEXT columns, which hold any bytes. A listing leaves
// the raw text out (an empty column): a page of messages never loads their bodies.
std::string columns(Dialect dialect, bool with_raw = true) {
  const char* raw = !with_raw                         ? "''"
                    : dialect == Dialect::kPostgresql ? "encode(raw, 'hex')"
                                                      : "raw";
  return std::string("id, received_at, peer, sender, control_id, message_type, version, status, ") +
         raw + (dialect == Dialect::kPostgresql ? ", encode(ack, 'hex'), note" : ", ack, note") +
         ", sender_identity";
}

// The placeholder of a bytes value in an INSERT.
std::string bytes_placeholder(Dialect dialect, const char* name) {
  return dialect == Dialect::kPostgresql ? "decode(" + std::string(name) + ", 'hex')"
                                         : std::string(name);
}

void bytes_to_column(Dialect dialect, std::string_view bytes, std::string& out) {
  if (dialect != Dialect::kPostgresql) {
    out.assign(bytes);
    return;
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  out.resize(bytes.size() * 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0xF];
  }
}

std::string bytes_from_column(Dialect dialect, std::string&& text) {
  if (dialect != Dialect::kPostgresql) return std::move(text);
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out(text.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(nibble(text[2 * i]) << 4 | nibble(text[2 * i + 1]));
  }
  return out;
}

// Prepares `text` with the row outputs bound first and `bind_inputs` adding the inputs.
template <typename BindInputs>
soci::statement prepare(soci::session& sql, const std::string& text, MessageRow& row,
                        BindInputs bind_inputs) {
  soci::statement st(sql);
  row.bind(st);
  bind_inputs(st);
  prepare_statement(st, text);
  return st;
}

}  // namespace

void MessageRow::bind(soci::statement& st) {
  for (auto* out : {&id, &received_at}) st.exchange(into(*out));
  for (auto* out : {&peer, &sender, &control_id, &message_type, &version, &status, &raw, &ack,
                    &note, &sender_identity}) {
    st.exchange(into(*out));
  }
}

ArchivedMessage MessageRow::take(Dialect dialect) {
  ArchivedMessage m;
  m.id = id;
  m.received_at_micros = received_at;
  m.peer = std::move(peer);
  m.sender = std::move(sender);
  m.control_id = std::move(control_id);
  m.message_type = std::move(message_type);
  m.version = std::move(version);
  m.status = parse_message_status(status).value_or(MessageStatus::kError);
  m.raw = bytes_from_column(dialect, std::move(raw));
  m.ack = bytes_from_column(dialect, std::move(ack));
  m.note = std::move(note);
  m.sender_identity = std::move(sender_identity);
  return m;
}

ArchiveStatements::ArchiveStatements(soci::session& session, Dialect engine,
                                     const std::string& tenant)
    : sql(session),
      dialect(engine),
      lock(session),
      find_same(session),
      find_any(session),
      insert(session),
      effect_savepoint(session.prepare << "SAVEPOINT message_effect"),
      effect_release(session.prepare << "RELEASE message_effect"),
      effect_rollback(session.prepare << "ROLLBACK TO message_effect"),
      mark_failed(session) {
  if (dialect == Dialect::kPostgresql) {
    lock.exchange(use(lock_key));
    prepare_statement(lock, "SELECT pg_advisory_xact_lock(hashtext(:p1))");
  }
  found.bind(find_same);
  find_same.exchange(use(tenant));
  find_same.exchange(use(sender));
  find_same.exchange(use(control_id));
  find_same.exchange(use(content_hash));
  prepare_statement(find_same,
                    "SELECT " + columns(dialect) +
                        " FROM hl7_message WHERE tenant = :p0 AND sender = :p1 AND control_id = :p2"
                        " AND (content_hash = :p3 OR content_hash IS NULL) AND status = 'accepted'"
                        " ORDER BY id");
  find_any.exchange(into(any_id));
  find_any.exchange(use(tenant));
  find_any.exchange(use(sender));
  find_any.exchange(use(control_id));
  prepare_statement(
      find_any,
      "SELECT id FROM hl7_message WHERE tenant = :p0 AND sender = :p1 AND control_id = :p2"
      " AND status = 'accepted' ORDER BY id LIMIT 1");
  insert.exchange(use(received_at));
  for (auto* in :
       {&peer, &sender, &control_id, &message_type, &version, &status, &raw, &ack, &note}) {
    insert.exchange(use(*in));
  }
  insert.exchange(use(content_hash));
  insert.exchange(use(sender_identity));
  insert.exchange(use(tenant));
  // SQLite: the id from last_insert_rowid (sqlite_statement.h says why not RETURNING).
  if (dialect != Dialect::kSqlite) insert.exchange(into(inserted_id));
  prepare_statement(
      insert,
      "INSERT INTO hl7_message (received_at, peer, sender, control_id, message_type,"
      " version, status, raw, ack, note, content_hash, sender_identity, tenant) VALUES (:p1,"
      " :p2, :p3, :p4, :p5, :p6, :p7, " +
          bytes_placeholder(dialect, ":p8") + ", " + bytes_placeholder(dialect, ":p9") +
          ", :p10, :p11, :p12, :p13)" + (dialect == Dialect::kSqlite ? "" : " RETURNING id"));
  mark_failed.exchange(use(status));
  mark_failed.exchange(use(ack));
  mark_failed.exchange(use(note));
  mark_failed.exchange(use(inserted_id));
  prepare_statement(mark_failed, "UPDATE hl7_message SET status = :p1, ack = " +
                                     bytes_placeholder(dialect, ":p2") +
                                     ", note = :p3 WHERE id = :p4");
}

namespace {

// The earlier accepted message of (st.sender, st.control_id) with exactly `raw` as its text, if
// any; then st.any_id names the oldest accepted one of any content (0: none). SQLite: each
// statement's read ends before the caller writes.
std::optional<ArchivedMessage> find_resend(PreparedStatements& ps, std::string_view raw) {
  ArchiveStatements& st = ps.archive();
  std::optional<ArchivedMessage> same;
  st.any_id = 0;
  st.find_same.execute(false);
  while (st.find_same.fetch()) {
    ArchivedMessage row = st.found.take(st.dialect);
    if (st.any_id == 0) st.any_id = row.id;
    if (row.raw == raw) {
      same = std::move(row);
      break;
    }
  }
  ps.finish(st.find_same);
  if (same || st.any_id != 0) return same;
  st.find_any.execute(true);
  if (!st.find_any.got_data()) st.any_id = 0;
  ps.finish(st.find_any);
  return same;
}

}  // namespace

Result<ArchiveOutcome> archive_rows(PreparedStatements& ps, const ArchiveRequest& request,
                                    std::int64_t now_micros, StoreTransaction& effect_tx,
                                    const bool& raced, const EffectUndo& undo) {
  ArchiveStatements& st = ps.archive();
  MessageStatus status = request.status;
  std::string note = request.note;
  const std::string* ack = &request.ack;
  bool reused = false;
  st.sender.assign(request.sender);
  st.control_id.assign(request.control_id);
  st.content_hash = static_cast<long long>(content_hash(request.raw));
  if (status == MessageStatus::kAccepted && !request.control_id.empty()) {
    if (st.dialect == Dialect::kPostgresql) {
      st.lock_key.assign(request.sender).append("|").append(request.control_id);
      st.lock.execute(true);
      ps.finish(st.lock);
    }
    std::optional<ArchivedMessage> earlier = find_resend(ps, request.raw);
    if (earlier) return ArchiveOutcome{true, std::move(*earlier), false, Status::ok()};
    if (st.any_id != 0) {
      reused = true;
      const std::string what = "control id '" + request.control_id + "' from '" + request.sender +
                               "' was already used by message " + std::to_string(st.any_id) +
                               " with different content";
      if (request.on_reused == ReusedControlId::kReject) {
        status = MessageStatus::kError;
        note = "control-id-reused (rejected): " + what;
        ack = &request.reused_ack;
      } else {
        // The caller's note (e.g. "unmapped: ...") still holds for the new message: keep it.
        note = "control-id-reused: " + what + "; accepted as a new message" +
               (request.note.empty() ? "" : "; " + request.note);
      }
    }
  }
  // The statement's bound inputs are filled first and the returned row is moved out of them
  // afterwards: the raw message (kilobytes) is copied once, into the binding.
  st.received_at = now_micros;
  st.peer.assign(request.peer);
  st.message_type.assign(request.message_type);
  st.version.assign(request.version);
  st.status.assign(message_status_text(status));
  bytes_to_column(st.dialect, request.raw, st.raw);
  bytes_to_column(st.dialect, *ack, st.ack);
  st.note.assign(note);
  st.sender_identity.assign(request.sender_identity);
  st.insert.execute(true);
  ps.finish(st.insert);
  if (st.dialect == Dialect::kSqlite) st.inserted_id = last_insert_rowid(ps.sql);
  ArchivedMessage row;
  row.id = st.inserted_id;
  row.received_at_micros = now_micros;
  row.peer = std::move(st.peer);
  row.sender = request.sender;
  row.control_id = request.control_id;
  row.message_type = std::move(st.message_type);
  row.version = std::move(st.version);
  row.status = status;
  row.raw = st.dialect == Dialect::kPostgresql ? request.raw : std::move(st.raw);
  row.ack = *ack;
  row.note = std::move(note);
  row.sender_identity = request.sender_identity;
  ArchiveOutcome outcome{false, std::move(row), reused, Status::ok()};
  if (status == MessageStatus::kAccepted && request.effect) {
    Status applied = undo.known_failure != nullptr ? *undo.known_failure : Status::ok();
    if (undo.known_failure == nullptr) {
      if (!undo.by_caller) {
        ps.flush_index();
        st.effect_savepoint.execute(true);
      }
      applied = request.effect(effect_tx, st.inserted_id);
      if (raced) return Status(Code::kUnavailable, "lost a race to create a resource; run again");
      if (!undo.by_caller) {
        if (!applied.is_ok()) {
          ps.discard_index();
          st.effect_rollback.execute(true);
        }
        st.effect_release.execute(true);
      } else if (!applied.is_ok()) {
        *undo.failed = std::move(applied);
        return outcome;  // its writes are still in place: the caller rolls back, calls again
      }
    }
    if (!applied.is_ok()) {
      // The row stays, as 'error', with the ACK that says so: nothing of the effect persists.
      const std::string& ack =
          applied.code() == Code::kNotFound && !request.effect_not_found_ack.empty()
              ? request.effect_not_found_ack
              : request.effect_failed_ack;
      outcome.stored.status = MessageStatus::kError;
      outcome.stored.ack = ack;
      outcome.stored.note = applied.message();
      st.status.assign(message_status_text(MessageStatus::kError));
      bytes_to_column(st.dialect, ack, st.ack);
      st.note.assign(outcome.stored.note);
      st.mark_failed.execute(true);
      ps.finish(st.mark_failed);
      outcome.effect_error = std::move(applied);
    }
  }
  return outcome;
}

Result<ArchivedMessage> read_message_row(soci::session& sql, Dialect dialect,
                                         std::string_view tenant, std::int64_t id) {
  MessageRow row;
  long long wanted = id;
  std::string owner(tenant);
  soci::statement st = prepare(
      sql, "SELECT " + columns(dialect) + " FROM hl7_message WHERE id = :p1 AND tenant = :p2", row,
      [&](soci::statement& s) {
        s.exchange(use(wanted));
        s.exchange(use(owner));
      });
  st.execute(true);
  if (!st.got_data()) {
    return Status(Code::kNotFound, "message " + std::to_string(id) + " not found");
  }
  return row.take(dialect);
}

std::vector<ArchivedMessage> list_message_rows(soci::session& sql, Dialect dialect,
                                               std::string_view tenant,
                                               const MessageFilter& filter) {
  std::string owner(tenant);
  // Unused filters are bound as neutral values so one statement text serves every filter.
  std::string status =
      filter.status ? std::string(message_status_text(*filter.status)) : std::string();
  std::string status_again = status;
  std::string type = filter.message_type, type_again = filter.message_type;
  long long since = filter.since_micros.value_or(std::numeric_limits<long long>::min());
  long long before = filter.before_id.value_or(std::numeric_limits<long long>::max());
  long long limit = std::max<long long>(filter.limit, 0);
  MessageRow row;
  soci::statement st =
      prepare(sql,
              "SELECT " + columns(dialect, /*with_raw=*/false) +
                  " FROM hl7_message WHERE tenant = :p0 AND (:p1 = '' OR status = :p2) AND"
                  " (:p3 = '' OR message_type = :p4) AND received_at >= :p5 AND id < :p6"
                  " ORDER BY id DESC LIMIT :p7",
              row, [&](soci::statement& s) {
                s.exchange(use(owner));
                s.exchange(use(status));
                s.exchange(use(status_again));
                s.exchange(use(type));
                s.exchange(use(type_again));
                s.exchange(use(since));
                s.exchange(use(before));
                s.exchange(use(limit));
              });
  std::vector<ArchivedMessage> out;
  st.execute(false);
  while (st.fetch()) out.push_back(row.take(dialect));
  return out;
}

}  // namespace detail
}  // namespace hearth::storage
