// TaskPool: one queue, `size_` threads taking from it.
#include "storage/sql/task_pool.h"

#include <utility>

#include "core/thread_name.h"

namespace hearth::storage::detail {

TaskPool::TaskPool(std::size_t threads) : size_(threads == 0 ? 1 : threads) {}

TaskPool::~TaskPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();  // after they ran what was queued
}

void TaskPool::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
    if (threads_.size() < size_) {
      threads_.emplace_back([this] {
        set_thread_name("hearth-store");
        run();
      });
    }
  }
  wake_.notify_one();
}

void TaskPool::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
    if (tasks_.empty()) return;  // stopping, nothing left
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace hearth::storage::detail
