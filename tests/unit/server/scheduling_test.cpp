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

}  // namespace
}  // namespace hearth::server
