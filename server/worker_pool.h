// The threads that run the REST core. Store calls block (SQLite, PostgreSQL round trips), so
// they never run on the io threads: a session coroutine hands the request to the pool with
// run_in_pool() and resumes on its own executor when the response is ready.
//
// Thread-safety: executor() and run_in_pool() may be used from any thread. The pool owns its
// threads; the destructor stops taking work and joins them.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

#include "core/metrics.h"

namespace hearth::server {

class WorkerPool {
 public:
  // `threads` > 0. Threads start idle; they hold no preallocated per-request state.
  explicit WorkerPool(unsigned threads) : pool_(threads) {}
  ~WorkerPool() { join(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  boost::asio::thread_pool::executor_type executor() { return pool_.get_executor(); }

  // Waits for queued work to finish, then joins the threads.
  void join() { pool_.join(); }
  // Discards queued work not yet started; running work finishes.
  void stop() { pool_.stop(); }

 private:
  boost::asio::thread_pool pool_;
};

// Runs `function` (which must not throw) on `pool` and completes the awaiting coroutine on the
// coroutine's own executor with its result: one post to the pool, one dispatch back. `queued`,
// when given, counts the call from its post until a worker takes it (a queue-depth gauge).
template <typename PoolExecutor, typename Function>
auto run_in_pool(PoolExecutor pool, Function function, metrics::Gauge* queued = nullptr) {
  using Value = std::invoke_result_t<Function&>;
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(Value)>(
      [pool, queued](auto handler, Function fn) {
        if (queued != nullptr) queued->add(1);
        boost::asio::post(
            pool, [handler = std::move(handler), fn = std::move(fn), queued]() mutable {
              if (queued != nullptr) queued->add(-1);
              Value value = fn();
              auto home = boost::asio::get_associated_executor(handler);
              boost::asio::dispatch(
                  home, [handler = std::move(handler), value = std::move(value)]() mutable {
                    std::move(handler)(std::move(value));
                  });
            });
      },
      boost::asio::use_awaitable, std::move(function));
}

}  // namespace hearth::server
