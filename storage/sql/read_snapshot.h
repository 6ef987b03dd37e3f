// Internal to storage/: point reads on a SQLite file store share read transactions. In WAL mode
// every transaction begins and ends with locks on the shared-memory index and the file (fcntl,
// fstat): for a point read that was more than half of SQLite's time and a quarter of the
// server's CPU per GET (bench/run.sh). So a session leased for a point read (Lane::kKey) stays
// in its read transaction after the lease ends, and the next point read on it reuses the
// snapshot unless it is stale:
//   - the store committed since it began. The pool's commit state counts every COMMIT of this
//     process as it starts and once it returned, before the writer answers, so a client always
//     reads its own writes and everything acknowledged before its request. A snapshot is kept
//     only when no commit was in flight as it began (one begun during a COMMIT may or may not
//     hold it, and reusing it after another reader saw the commit would go back in time);
//   - it is older than kMaxSnapshotAge (writes by another process, such as a CLI on the same
//     file, are seen within that time);
//   - SQLite ended it (a statement failed).
// An open snapshot holds back checkpoints, so none outlives a commit while its session is idle
// (the pool ends them in commit_ended), every other lane ends it on lease, and the writer
// session never keeps one.
//
// Thread-safety: each function is called by whoever holds the session (its lease, or the pool
// under its mutex while the session is idle).
// Errors: none escape; a snapshot that cannot begin leaves the session in autocommit mode (each
// statement its own transaction, as before).
#pragma once

#include <chrono>
#include <cstdint>

namespace hearth::storage {
struct PooledSession;
}

namespace hearth::storage::detail {

inline constexpr std::chrono::milliseconds kMaxSnapshotAge{10};

// The pool's commit state: commits started and ended times kCommitStep, plus those in flight.
inline constexpr std::uint64_t kCommitStep = 1u << 16;

// With no commit in flight in `state` (read before this call): leaves `session` inside a read
// transaction that has seen every commit counted in it and began at most kMaxSnapshotAge before
// `now_ns` (steady clock). With one in flight: leaves it outside any (autocommit reads).
void enter_read_snapshot(PooledSession& session, std::uint64_t state, std::int64_t now_ns);

// Ends the session's read transaction, if it has one.
void end_read_snapshot(PooledSession& session) noexcept;

// True when `session` holds a snapshot that began before commit state `state`.
bool holds_snapshot_before(const PooledSession& session, std::uint64_t state);

}  // namespace hearth::storage::detail
