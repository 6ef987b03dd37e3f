// Where an HTTP request runs, decided once at the edge from data: the StoreUse of the route row
// that serves it (api/service.h) and the store's traits, stated once at start. Nothing below
// the server asks "may I run inline?".
#pragma once

#include <cstddef>

#include "api/service.h"

namespace hearth::server {

// A write whose request body is this large or larger goes to Lane::kLargeWriter.
inline constexpr std::size_t kLargeBody = 1 << 20;

enum class Lane {
  kInline,   // on the session's io thread: the hop to a pool and back costs more than the call
  kReaders,  // the read workers; the session watches the socket and cancels a read whose
             // client leaves
  kWriters,  // the write workers, which reads can never fill; never cancelled
  // On the session's io thread up to the store call, which completes on its own (a write on a
  // group-committing store, Service::handle_async): no worker waits for the commit. Never
  // cancelled.
  kCompletion,
  // One thread for writes with a large body, one at a time: the transient memory of decoding
  // such a body (a libxml2 tree is several times the body) then always comes from the same
  // thread's malloc arena, so what glibc keeps after it is one arena's worth, not one per
  // worker that happened to decode one.
  kLargeWriter,
};

// `cheap_reads`: the store's point reads never wait (SQLite in WAL mode: readers never wait for
// the writer); false for a store across the network (PostgreSQL). `body_bytes`: the request
// body's size. `group_commit`: the store group-commits its writes, so a write's store call
// completes without a thread waiting for it (SQLite).
constexpr Lane lane_for(api::StoreUse use, bool cheap_reads, std::size_t body_bytes = 0,
                        bool group_commit = false) {
  switch (use) {
    case api::StoreUse::kNone: return Lane::kInline;
    case api::StoreUse::kPointRead: return cheap_reads ? Lane::kInline : Lane::kReaders;
    case api::StoreUse::kRead: return Lane::kReaders;
    case api::StoreUse::kWrite:
      if (body_bytes >= kLargeBody) return Lane::kLargeWriter;  // its decode is heavy
      return group_commit ? Lane::kCompletion : Lane::kWriters;
  }
  return Lane::kWriters;
}

// The threads of the read workers (Lane::kReaders) out of `workers` (--workers). Where point
// reads run inline (`cheap_reads`), the read workers serve searches only, which the store runs
// `concurrent_searches` at a time (StoreTraits; 0: no bound): more threads would only wait for
// a database session, and waking them costs CPU (measured on the 1M-resource store, 12 against
// 32: 6-10% less server CPU per name, include or token+date search). Otherwise `workers`.
constexpr unsigned read_workers(unsigned workers, bool cheap_reads,
                                std::size_t concurrent_searches) {
  if (!cheap_reads || concurrent_searches == 0 || concurrent_searches >= workers) return workers;
  return static_cast<unsigned>(concurrent_searches);
}

// Whether an HL7 message's lookups are made, and its writes prepared, before its transaction
// (api::Hl7MappingContext::resolve_before_commit), on a store with cheap reads and one
// group-committing writer (SQLite). It moves about a quarter of a message's work off that writer
// (callgrind, ORU^R01 with 15 OBX: 12.9M -> 9.5M instructions on the writer; ADT^A01 3.9M ->
// 2.9M) but makes the lookups twice (+5% and +2% in all): worth it where the writer is the limit
// and `cores` are left for the receiving threads, not on 2 cores, where both are busy either way
// (32 MLLP connections, paired runs: ORU^R01 +5%, ADT^A01 -5%, p99 up).
constexpr bool resolve_messages_first(bool cheap_reads, bool group_commit, unsigned cores) {
  return cheap_reads && group_commit && cores > 2;
}

}  // namespace hearth::server
