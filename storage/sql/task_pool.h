// A small fixed pool of threads running queued tasks in order of arrival: the PostgreSQL
// archive's executor, so MessageArchive::archive returns at once and its transaction (network
// round trips) runs on a thread of the store's own instead of the caller's. Storage may not use
// Asio (ARCHITECTURE.md), hence this rather than an io_context.
//
// Ownership: owns its threads; the destructor runs every task still queued, then joins them.
// Thread-safety: post() may be called from any thread. Tasks must not throw (one that does
// ends the process, as an exception escaping a std::thread would).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hearth::storage::detail {

class TaskPool {
 public:
  // Threads are started on the first post(), so a pool never used costs none.
  explicit TaskPool(std::size_t threads);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  void post(std::function<void()> task);

 private:
  void run();

  const std::size_t size_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace hearth::storage::detail
