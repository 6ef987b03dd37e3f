// Exception classification. PostgreSQL errors are sorted by SQLSTATE, SQLite errors by their
// primary result code; SOCI's own category is the fallback for both.
#include "storage/sql/sql_error.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <string>

#include "core/redact.h"

namespace hearth::storage {
namespace {

FailureKind from_sqlstate(const std::string& state) {
  if (state == "23505") return FailureKind::kUnique;
  if (state == "40001" || state == "40P01") return FailureKind::kRetryable;
  if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
    return FailureKind::kConnection;
  }
  if (state == "55P03") return FailureKind::kBusy;         // lock not available
  if (state == "57014") return FailureKind::kInterrupted;  // statement_timeout or cancel
  return FailureKind::kOther;
}

FailureKind from_sqlite_code(int code) {
  switch (code & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return FailureKind::kBusy;
    case SQLITE_INTERRUPT: return FailureKind::kInterrupted;
    case SQLITE_CONSTRAINT: return FailureKind::kUnique;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_IOERR:
    case SQLITE_FULL: return FailureKind::kConnection;
    default: return FailureKind::kOther;
  }
}

FailureKind from_category(soci::soci_error::error_category category) {
  switch (category) {
    case soci::soci_error::connection_error: return FailureKind::kConnection;
    case soci::soci_error::constraint_violation: return FailureKind::kUnique;
    default: return FailureKind::kOther;
  }
}

}  // namespace

FailureKind classify_current_exception() {
  try {
    throw;
  } catch (const soci::postgresql_soci_error& e) {
    FailureKind kind = from_sqlstate(e.sqlstate());
    return kind == FailureKind::kOther ? from_category(e.get_error_category()) : kind;
  } catch (const soci::sqlite3_soci_error& e) {
    return from_sqlite_code(e.result());
  } catch (const soci::soci_error& e) {
    return from_category(e.get_error_category());
  } catch (...) {
    return FailureKind::kOther;
  }
}

Status status_from_current_exception(std::string_view what) {
  std::string message;
  try {
    throw;
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown exception";
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  FailureKind kind = classify_current_exception();
  Code code = (kind == FailureKind::kConnection || kind == FailureKind::kBusy ||
               kind == FailureKind::kInterrupted)
                  ? Code::kUnavailable
                  : Code::kInternal;
  // libpq and SOCI may quote the conninfo string, password included.
  return Status(code, std::string(what) + ": " + redact_credentials(message));
}

Status fail_session(SessionPool::Lease& lease, std::string_view what) {
  const FailureKind kind = classify_current_exception();
  if (kind == FailureKind::kInterrupted) {
    // The session is fine (SQLite: the statement was reset; PostgreSQL: the error ended it).
    return Status(
        Code::kUnavailable,
        std::string(what) + (lease.cancelled() ? ": cancelled, the client went away"
                                               : ": took longer than the statement time limit"));
  }
  if (kind == FailureKind::kConnection && lease.hang_cut()) {
    // Past the limit and its grace the watchdog closed the connection: the limit is the cause,
    // the lost connection only its consequence.
    lease.discard();
    return Status(Code::kUnavailable,
                  std::string(what) +
                      ": took longer than the statement time limit (the database "
                      "did not stop it; its connection was closed)");
  }
  Status status = status_from_current_exception(what);
  bool connected = kind != FailureKind::kConnection;
  if (connected) {
    try {
      connected = lease->sql->is_connected();
    } catch (...) {
      connected = false;
    }
  }
  if (connected) return status;
  lease.discard();
  return Status(Code::kUnavailable, status.message());
}

}  // namespace hearth::storage
