// CancelToken and CancelScope: the thread's current token, nesting, the hook's single run.
#include "core/cancel.h"

#include <doctest/doctest.h>

#include <thread>

namespace hearth {
namespace {

TEST_CASE("CancelScope installs a token for this thread only, nested scopes restore") {
  CHECK(CancelScope::current() == nullptr);
  CancelToken outer, inner;
  {
    CancelScope a(&outer);
    CHECK(CancelScope::current() == &outer);
    {
      CancelScope b(&inner);
      CHECK(CancelScope::current() == &inner);
      const CancelToken* seen = &inner;
      std::thread([&seen] { seen = CancelScope::current(); }).join();
      CHECK(seen == nullptr);
    }
    CHECK(CancelScope::current() == &outer);
  }
  CHECK(CancelScope::current() == nullptr);
}

TEST_CASE("CancelToken: the hook runs once on cancel; none is kept once cancelled") {
  CancelToken token;
  int runs = 0;
  REQUIRE(token.set_hook([&runs] { ++runs; }));
  CHECK_FALSE(token.cancelled());
  token.cancel();
  token.cancel();
  CHECK(token.cancelled());
  CHECK(runs == 1);
  CHECK_FALSE(token.set_hook([&runs] { ++runs; }));
  CancelToken cleared;
  REQUIRE(cleared.set_hook([&runs] { ++runs; }));
  cleared.clear_hook();
  cleared.cancel();
  CHECK(runs == 1);
}

}  // namespace
}  // namespace hearth
