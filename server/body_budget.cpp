// The body budget's queue: a waiter sleeps on its own timer, which a release cancels (on the
// waiter's executor) once its bytes are reserved for it.
#include "server/body_budget.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace hearth::server {
namespace asio = boost::asio;

// Shared by the waiting coroutine and the wake-up a release posts, which may run after the
// coroutine has moved on.
struct BodyBudget::Waiter {
  Waiter(const asio::any_io_executor& executor, std::uint64_t n) : timer(executor), bytes(n) {}
  asio::steady_timer timer;
  const std::uint64_t bytes;
  bool granted = false;  // under BodyBudget::mutex_
};

asio::awaitable<bool> BodyBudget::reserve(std::uint64_t bytes, std::chrono::milliseconds timeout) {
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<Waiter>(executor, bytes);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiters_.empty() && fits(bytes)) {
      used_ += bytes;
      co_return true;
    }
    waiters_.push_back(waiter);
  }
  // Leaves the queue however the wait ends, the coroutine's destruction included; bytes
  // granted to a waiter that is destroyed instead of resumed go back.
  struct Leave {
    BodyBudget& budget;
    const std::shared_ptr<Waiter>& waiter;
    bool keep = false;
    ~Leave() {
      std::unique_lock<std::mutex> lock(budget.mutex_);
      if (waiter->granted) {
        lock.unlock();
        if (!keep) budget.release(waiter->bytes);
        return;
      }
      auto& queue = budget.waiters_;
      queue.erase(std::remove(queue.begin(), queue.end(), waiter), queue.end());
      // A large waiter that timed out at the head may have held back smaller ones.
      budget.admit_waiters();
    }
  } leave{*this, waiter};
  waiter->timer.expires_after(timeout);
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard<std::mutex> lock(mutex_);
  leave.keep = waiter->granted;
  co_return waiter->granted;
}

void BodyBudget::release(std::uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  used_ -= std::min(bytes, used_);
  admit_waiters();
}

void BodyBudget::admit_waiters() {
  while (!waiters_.empty() && fits(waiters_.front()->bytes)) {
    std::shared_ptr<Waiter> waiter = std::move(waiters_.front());
    waiters_.pop_front();
    used_ += waiter->bytes;
    waiter->granted = true;
    asio::post(waiter->timer.get_executor(), [waiter] { waiter->timer.cancel(); });
  }
}

std::uint64_t BodyBudget::reserved() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return used_;
}

}  // namespace hearth::server
