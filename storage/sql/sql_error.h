// Turning database exceptions into Status values at the storage boundary, and telling which
// failures are worth retrying. SOCI reports every backend failure as an exception; nothing
// of it may leave storage/ (STYLE 4).
//
// Thread-safety: pure functions.
#pragma once

#include <exception>
#include <string_view>

#include "core/status.h"
#include "storage/sql/session_pool.h"

namespace hearth::storage {

enum class FailureKind {
  kConnection,   // the session is unusable (network, server gone): drop it, kUnavailable
  kBusy,         // lock timeout / SQLITE_BUSY: kUnavailable, the client may retry later
  kUnique,       // unique / primary-key violation (a racing insert)
  kRetryable,    // serialization failure or deadlock: redo the transaction
  kInterrupted,  // the statement was aborted: its time limit passed or its client left
  kOther,        // anything else: kInternal
};

// Classifies the exception currently being handled (call inside a catch block only).
FailureKind classify_current_exception();

// The Status for the exception being handled: kUnavailable for connection/busy failures and
// interrupted statements, kInternal otherwise; `what` names the operation ("read Patient/1") in the
// diagnostics.
Status status_from_current_exception(std::string_view what);

// The exception being handled (call inside a catch block), as a Status; drops the leased
// session when its connection is gone (the next lease opens a fresh one), reporting
// kUnavailable. An interrupted statement is kUnavailable naming its cause (time limit or a
// client that went away).
Status fail_session(SessionPool::Lease& lease, std::string_view what);

}  // namespace hearth::storage
