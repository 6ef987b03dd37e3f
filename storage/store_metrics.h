// The store's metric instruments (core/metrics.h), one set per process: recorded by
// storage/sql as writes commit, read by the server's GET /metrics. Every store the process
// opens records into the same set (a server opens one).
//
// Thread-safety: the instruments are atomics; record from any thread.
#pragma once

#include <array>
#include <cstdint>

#include "core/metrics.h"

namespace hearth::storage {

// Writes per group-commit batch (SQLite): 1 to 512.
inline constexpr std::array<std::uint64_t, 10> kBatchBounds = {1,  2,  4,   8,   16,
                                                               32, 64, 128, 256, 512};

struct StoreMetrics {
  // Each COMMIT statement of a write transaction, in microseconds (on SQLite one per
  // group-commit batch: the WAL write, and its fsync with ?synchronous=full).
  metrics::Histogram commit_micros{metrics::kLatencyMicros};
  // Writes (resource writes, transactions, archivings) committed by each group-commit batch.
  metrics::Histogram batch_writes{kBatchBounds};
  // Write transactions rolled back after a failure part-way (a failed batch, a failed
  // PostgreSQL write attempt, retried or not).
  metrics::Counter rollbacks;
};

StoreMetrics& store_metrics();

}  // namespace hearth::storage
