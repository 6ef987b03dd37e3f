// BodyBudget on a one-thread io_context: reservations that fit pass at once, the others wait in
// arrival order until releases make room or their timeout passes, a body larger than the whole
// budget passes alone, and a waiter destroyed mid-wait leaves the queue.
#include "server/body_budget.h"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace hearth::server {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr milliseconds kLong{10'000};

// Spawns a reserve() whose outcome lands in `out` ("name+" granted, "name-" timed out).
void spawn_reserve(asio::io_context& io, BodyBudget& budget, std::uint64_t bytes,
                   milliseconds timeout, std::string name, std::vector<std::string>& out) {
  asio::co_spawn(
      io,
      [&budget, bytes, timeout, name, &out]() -> asio::awaitable<void> {
        const bool granted = co_await budget.reserve(bytes, timeout);
        out.push_back(name + (granted ? "+" : "-"));
      },
      asio::detached);
}

TEST_CASE("body budget: what fits passes, the rest waits in order for releases") {
  asio::io_context io;
  BodyBudget budget(100);
  std::vector<std::string> order;
  spawn_reserve(io, budget, 60, kLong, "a", order);
  spawn_reserve(io, budget, 50, kLong, "b", order);  // 110 > 100: waits
  spawn_reserve(io, budget, 10, kLong, "c", order);  // would fit, but b waits first
  io.poll();
  CHECK(order == std::vector<std::string>{"a+"});
  CHECK(budget.reserved() == 60);

  budget.release(60);  // b and c fit now, in their order
  io.poll();
  CHECK(order == std::vector<std::string>{"a+", "b+", "c+"});
  CHECK(budget.reserved() == 60);
  budget.release(50);
  budget.release(10);
  CHECK(budget.reserved() == 0);
}

TEST_CASE("body budget: a body larger than the budget passes when nothing else is held") {
  asio::io_context io;
  BodyBudget budget(100);
  std::vector<std::string> order;
  spawn_reserve(io, budget, 10, kLong, "small", order);
  spawn_reserve(io, budget, 500, kLong, "huge", order);
  spawn_reserve(io, budget, 10, kLong, "after", order);
  io.poll();
  CHECK(order == std::vector<std::string>{"small+"});
  budget.release(10);
  io.poll();
  CHECK(order == std::vector<std::string>{"small+", "huge+"});  // alone, over the budget
  budget.release(500);
  io.poll();
  CHECK(order == std::vector<std::string>{"small+", "huge+", "after+"});
}

TEST_CASE("body budget: a wait times out, and the waiters behind it move up") {
  asio::io_context io;
  BodyBudget budget(100);
  std::vector<std::string> order;
  spawn_reserve(io, budget, 80, kLong, "held", order);
  spawn_reserve(io, budget, 90, milliseconds(20), "big", order);  // gives up
  spawn_reserve(io, budget, 20, kLong, "small", order);           // behind big, fits
  io.run_for(milliseconds(200));
  CHECK(order == std::vector<std::string>{"held+", "big-", "small+"});
  CHECK(budget.reserved() == 100);
}

TEST_CASE("body budget: a waiter destroyed while waiting leaves the queue") {
  BodyBudget budget(100);
  std::vector<std::string> order;
  {
    asio::io_context io;
    spawn_reserve(io, budget, 100, kLong, "held", order);
    spawn_reserve(io, budget, 50, kLong, "gone", order);
    io.poll();
    CHECK(order == std::vector<std::string>{"held+"});
  }  // the io_context and the suspended "gone" coroutine are destroyed here
  budget.release(100);
  CHECK(budget.reserved() == 0);
  asio::io_context io;
  spawn_reserve(io, budget, 100, kLong, "next", order);
  io.poll();
  CHECK(order == std::vector<std::string>{"held+", "next+"});
}

TEST_CASE("body reservation: gives its bytes back once") {
  BodyBudget budget(100);
  asio::io_context io;
  std::vector<std::string> order;
  spawn_reserve(io, budget, 40, kLong, "a", order);
  io.poll();
  {
    BodyReservation reservation(budget, 40);
    BodyReservation moved(std::move(reservation));
    CHECK(budget.reserved() == 40);
  }
  CHECK(budget.reserved() == 0);
}

}  // namespace
}  // namespace hearth::server
