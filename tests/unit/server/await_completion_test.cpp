// await_completion (server/await_completion.h): a coroutine awaiting a call completed on another
// thread resumes on its own executor, with the first value it was given, once.
#include "server/await_completion.h"

#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

namespace hearth::server {
namespace {

namespace asio = boost::asio;

TEST_CASE("await_completion: resumes on the awaiting executor with the first value") {
  asio::io_context io;
  std::thread completer;
  int value = 0;
  int resumed = 0;
  std::thread::id resumed_on;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        value = co_await await_completion<int>([&](std::function<void(int)> resume) {
          completer = std::thread([resume] {
            resume(42);
            resume(7);  // ignored: only the first call counts
          });
        });
        ++resumed;
        resumed_on = std::this_thread::get_id();
      },
      asio::detached);
  io.run();  // returns once the coroutine ended: the post back was its last work
  completer.join();
  CHECK(value == 42);
  CHECK(resumed == 1);
  CHECK(resumed_on == std::this_thread::get_id());
}

TEST_CASE("await_completion: a completion called before start returns") {
  asio::io_context io;
  std::string value;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        value = co_await await_completion<std::string>(
            [](std::function<void(std::string)> resume) { resume("inline"); });
      },
      asio::detached);
  io.run();
  CHECK(value == "inline");
}

}  // namespace
}  // namespace hearth::server
