// Where an HTTP request runs, decided once at the edge from data: the StoreUse of the route row
// that serves it (api/service.h) and the store's traits, stated once at start. Nothing below
// the server asks "may I run inline?".
#pragma once

#include "api/service.h"

namespace hearth::server {

enum class Lane {
  kInline,   // on the session's io thread: the hop to a pool and back costs more than the call
  kReaders,  // the read workers; the session watches the socket and cancels a read whose
             // client leaves
  kWriters,  // the write workers, which reads can never fill; never cancelled
};

// `cheap_reads`: the store's point reads never wait (SQLite in WAL mode: readers never wait for
// the writer); false for a store across the network (PostgreSQL).
constexpr Lane lane_for(api::StoreUse use, bool cheap_reads) {
  switch (use) {
    case api::StoreUse::kNone: return Lane::kInline;
    case api::StoreUse::kPointRead: return cheap_reads ? Lane::kInline : Lane::kReaders;
    case api::StoreUse::kRead: return Lane::kReaders;
    case api::StoreUse::kWrite: return Lane::kWriters;
  }
  return Lane::kWriters;
}

}  // namespace hearth::server
