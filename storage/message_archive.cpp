// The archive's statements. They are one-shot (prepared per call): a message costs a parse,
// an ACK and a commit, next to which preparing three small statements does not show.
#include "storage/message_archive.h"

#include <limits>
#include <string>
#include <utility>

namespace hearth::storage {

std::string_view message_status_text(MessageStatus status) {
  switch (status) {
    case MessageStatus::kAccepted:
      return "accepted";
    case MessageStatus::kRejected:
      return "rejected";
    case MessageStatus::kError:
      return "error";
  }
  return "error";
}

std::optional<MessageStatus> parse_message_status(std::string_view text) {
  if (text == "accepted") return MessageStatus::kAccepted;
  if (text == "rejected") return MessageStatus::kRejected;
  if (text == "error") return MessageStatus::kError;
  return std::nullopt;
}

namespace detail {
namespace {

using soci::into;
using soci::use;

constexpr const char* kColumns =
    "id, received_at, peer, sender, control_id, message_type, version, status, raw, ack, note";

// The output bindings of one row, in kColumns order.
struct RowBuffer {
  long long id = 0, received_at = 0;
  std::string peer, sender, control_id, message_type, version, status, raw, ack, note;

  ArchivedMessage take() {
    ArchivedMessage m;
    m.id = id;
    m.received_at_micros = received_at;
    m.peer = std::move(peer);
    m.sender = std::move(sender);
    m.control_id = std::move(control_id);
    m.message_type = std::move(message_type);
    m.version = std::move(version);
    m.status = parse_message_status(status).value_or(MessageStatus::kError);
    m.raw = std::move(raw);
    m.ack = std::move(ack);
    m.note = std::move(note);
    return m;
  }
};

void bind_row(soci::statement& st, RowBuffer& r) {
  st.exchange(into(r.id));
  st.exchange(into(r.received_at));
  st.exchange(into(r.peer));
  st.exchange(into(r.sender));
  st.exchange(into(r.control_id));
  st.exchange(into(r.message_type));
  st.exchange(into(r.version));
  st.exchange(into(r.status));
  st.exchange(into(r.raw));
  st.exchange(into(r.ack));
  st.exchange(into(r.note));
}

// Prepares `text` with the row outputs bound first and `bind_inputs` adding the inputs.
template <typename BindInputs>
soci::statement prepare(soci::session& sql, const std::string& text, RowBuffer& row,
                        BindInputs bind_inputs) {
  soci::statement st(sql);
  bind_row(st, row);
  bind_inputs(st);
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  return st;
}

}  // namespace

Result<ArchiveOutcome> archive_rows(soci::session& sql, Dialect dialect,
                                    const ArchiveRequest& request, std::int64_t now_micros) {
  if (!request.make_ack) {
    return Status(Code::kInternal, "archive_message: ArchiveRequest.make_ack is not set");
  }
  MessageStatus status = request.status;
  std::string note = request.note;
  if (status == MessageStatus::kAccepted && !request.control_id.empty()) {
    if (dialect == Dialect::kPostgresql) {
      std::string key = request.sender + "|" + request.control_id;
      sql << "SELECT pg_advisory_xact_lock(hashtext(:p1))", use(key);
    }
    RowBuffer earlier;
    std::string sender = request.sender, control_id = request.control_id;
    soci::statement find = prepare(
        sql,
        std::string("SELECT ") + kColumns +
            " FROM hl7_message WHERE sender = :p1 AND control_id = :p2"
            " AND status = 'accepted' ORDER BY id LIMIT 1",
        earlier, [&](soci::statement& st) {
          st.exchange(use(sender));
          st.exchange(use(control_id));
        });
    find.execute(true);
    const bool found = find.got_data();
    find.clean_up();  // SQLite: end the statement's read before writing
    if (found) {
      if (earlier.raw == request.raw) return ArchiveOutcome{true, earlier.take()};
      status = MessageStatus::kError;
      note = "control id '" + request.control_id + "' from '" + request.sender +
             "' was already used by message " + std::to_string(earlier.id) +
             " with different content";
    }
  }
  ArchivedMessage row;
  row.received_at_micros = now_micros;
  row.peer = request.peer;
  row.sender = request.sender;
  row.control_id = request.control_id;
  row.message_type = request.message_type;
  row.version = request.version;
  row.status = status;
  row.raw = request.raw;
  row.note = std::move(note);
  row.ack = request.make_ack(row.status, row.note);
  std::string status_text(message_status_text(row.status));
  long long id = 0;
  long long received_at = now_micros;
  sql << "INSERT INTO hl7_message (received_at, peer, sender, control_id, message_type,"
         " version, status, raw, ack, note) VALUES (:p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8,"
         " :p9, :p10) RETURNING id",
      use(received_at), use(row.peer), use(row.sender), use(row.control_id),
      use(row.message_type), use(row.version), use(status_text), use(row.raw), use(row.ack),
      use(row.note), into(id);
  row.id = id;
  return ArchiveOutcome{false, std::move(row)};
}

Result<ArchivedMessage> read_message_row(soci::session& sql, std::int64_t id) {
  RowBuffer row;
  long long wanted = id;
  soci::statement st =
      prepare(sql, std::string("SELECT ") + kColumns + " FROM hl7_message WHERE id = :p1", row,
              [&](soci::statement& s) { s.exchange(use(wanted)); });
  st.execute(true);
  if (!st.got_data()) {
    return Status(Code::kNotFound, "message " + std::to_string(id) + " not found");
  }
  return row.take();
}

std::vector<ArchivedMessage> list_message_rows(soci::session& sql, const MessageFilter& filter) {
  // Unused filters are bound as neutral values so one statement text serves every filter.
  std::string status =
      filter.status ? std::string(message_status_text(*filter.status)) : std::string();
  std::string status_again = status;
  std::string type = filter.message_type, type_again = filter.message_type;
  long long since = filter.since_micros.value_or(std::numeric_limits<long long>::min());
  long long before = filter.before_id.value_or(std::numeric_limits<long long>::max());
  long long limit = std::max<long long>(filter.limit, 0);
  RowBuffer row;
  soci::statement st = prepare(
      sql,
      std::string("SELECT ") + kColumns +
          " FROM hl7_message WHERE (:p1 = '' OR status = :p2) AND"
          " (:p3 = '' OR message_type = :p4) AND received_at >= :p5 AND id < :p6"
          " ORDER BY id DESC LIMIT :p7",
      row, [&](soci::statement& s) {
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
  while (st.fetch()) out.push_back(row.take());
  return out;
}

}  // namespace detail
}  // namespace hearth::storage
