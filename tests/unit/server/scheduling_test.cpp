// Where a request runs: from its route row's StoreUse and the store's traits, nothing else.
#include "server/scheduling.h"

#include <doctest/doctest.h>

namespace hearth::server {
namespace {

using api::StoreUse;

TEST_CASE("lane_for: point reads inline only when the store's reads are cheap") {
  for (bool cheap : {true, false}) {
    CAPTURE(cheap);
    CHECK(lane_for(StoreUse::kNone, cheap) == Lane::kInline);
    CHECK(lane_for(StoreUse::kRead, cheap) == Lane::kReaders);
    CHECK(lane_for(StoreUse::kWrite, cheap) == Lane::kWriters);
  }
  CHECK(lane_for(StoreUse::kPointRead, true) == Lane::kInline);    // SQLite (WAL)
  CHECK(lane_for(StoreUse::kPointRead, false) == Lane::kReaders);  // PostgreSQL
}

TEST_CASE("read_workers: with cheap reads, no more than the searches the store runs at once") {
  CHECK(read_workers(32, true, 12) == 12);  // SQLite: searches only, 12 at a time
  CHECK(read_workers(32, false, 6) == 32);  // PostgreSQL: point reads too
  CHECK(read_workers(8, true, 12) == 8);    // fewer asked for: as asked
  CHECK(read_workers(32, true, 0) == 32);   // no bound stated
  CHECK(read_workers(1, true, 12) == 1);
}

TEST_CASE("resolve_messages_first: a single writer with cores to spare") {
  CHECK(resolve_messages_first(true, true, 4));          // SQLite, 4 cores
  CHECK_FALSE(resolve_messages_first(true, true, 2));    // SQLite, 2 cores: both busy anyway
  CHECK_FALSE(resolve_messages_first(false, false, 8));  // PostgreSQL: side by side
  CHECK_FALSE(resolve_messages_first(true, false, 8));   // no single writer
}

}  // namespace
}  // namespace hearth::server
