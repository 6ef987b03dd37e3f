// Awaiting a completion-based call from a session coroutine: the call is started on the
// session's thread, completed on whatever thread finishes it (the store's committer thread),
// and the coroutine resumes through a post to its own executor. What the MLLP session uses for
// Hl7Ingest::ingest and the HTTP session for Service::handle_async.
//
// Thread-safety: `resume` may be called from any thread; only its first call counts (a start
// that both threw and later completed resumes the coroutine once).
#pragma once

#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>
#include <utility>

namespace hearth::server {

// co_await await_completion<Value>(start): calls start(resume), where resume is a copyable
// std::function<void(Value)>, and yields the value it is first called with.
template <typename Value, typename Start>
auto await_completion(Start start) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(Value)>(
      [](auto handler, Start start) {
        using Handler = decltype(handler);
        // std::function wants a copyable callable; the coroutine's handler is move-only.
        struct Pending {
          explicit Pending(Handler h) : handler(std::move(h)) {}
          Handler handler;
          std::atomic<bool> resumed{false};
        };
        auto pending = std::make_shared<Pending>(std::move(handler));
        std::function<void(Value)> resume = [pending](Value value) {
          if (pending->resumed.exchange(true)) return;
          auto home = boost::asio::get_associated_executor(pending->handler);
          boost::asio::post(home, [pending, value = std::move(value)]() mutable {
            std::move(pending->handler)(std::move(value));
          });
        };
        start(std::move(resume));
      },
      boost::asio::use_awaitable, std::move(start));
}

}  // namespace hearth::server
