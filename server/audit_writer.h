// The audit trail (--audit on): every access recorded as a FHIR AuditEvent (api/audit_event.h)
// in the store, where it is read and searched like any resource (GET AuditEvent?...), and, with
// --audit-file, also appended as one JSON line per event for a SIEM. Recording is off the
// request path: record() queues and returns; one thread writes the queue in batches (up to
// kAuditBatch events, one store transaction per tenant among them, each event in the tenant of
// its request). Writing AuditEvents is not itself audited.
//
// Lifecycle: start() -> record() from any thread -> stop() (also in the destructor) writes
// everything recorded before it and joins the thread, so a clean shutdown loses nothing. The
// queue is bounded (kAuditQueueLimit): beyond it events are counted as dropped and one warning
// is logged per overflow, instead of letting memory grow without bound while the store is down;
// a failed batch is retried (kAuditRetries, then counted as dropped and logged without
// contents). The log lines name counts and errors only, never an event's contents (PHI).
//
// Thread-safety: record(), written() and dropped() may be called concurrently; start() and
// stop() from the owning thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/audit_event.h"
#include "core/clock.h"
#include "core/status.h"
#include "storage/resource_store.h"

namespace hearth::server {

inline constexpr std::size_t kAuditBatch = 256;
inline constexpr std::size_t kAuditQueueLimit = 100'000;
inline constexpr int kAuditRetries = 3;

class AuditWriter {
 public:
  // `store` and `ids` must outlive this. `jsonl_path`: "" for no file.
  AuditWriter(storage::ResourceStore& store, IdGenerator& ids, std::string jsonl_path = {});
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Opens the JSON-lines file (appending) and starts the writer thread. Errors: kInvalidArgument
  // when the file cannot be opened for appending.
  Status start();
  void record(api::AuditRecord record);
  void stop();

  std::uint64_t written() const;
  std::uint64_t dropped() const;

 private:
  void run();
  void write_batch(std::deque<api::AuditRecord>& batch);
  // One tenant's events of a batch in one store transaction; the caller installed its scope.
  void write_tenant(const std::vector<const api::AuditRecord*>& records);

  storage::ResourceStore& store_;
  IdGenerator& ids_;
  std::string jsonl_path_;
  std::ofstream jsonl_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<api::AuditRecord> queue_;
  bool stopping_ = false;
  bool overflowing_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t dropped_ = 0;
  std::thread thread_;
};

}  // namespace hearth::server
