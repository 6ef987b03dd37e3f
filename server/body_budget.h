// The process-wide budget of request body bytes (--max-buffered-body, issue 11): how much all
// HTTP connections together may hold in request bodies, from reading a body to writing its
// response. A body costs more than its bytes while the REST core decodes it (libxml2's tree is
// ~5x a body of tiny elements, a JSON document ~2-8x), so bounding the bodies in hand bounds the
// decodes too: with the defaults (16 MiB bodies, a 32 MiB budget) two of the largest bodies are
// read and decoded at once and the others wait, unread, in the kernel and the client.
//
// A request reserves its Content-Length after its header, before its body is read (a chunked
// body, whose size is unknown until read, reserves what it read). What does not fit waits, in
// arrival order, without holding a thread; a body larger than the whole budget is admitted when
// nothing else is reserved, so --max-body above the budget still works, one body at a time.
//
// Thread-safety: every member may be called from any thread; waiters are woken on their own
// executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace hearth::server {

class BodyBudget {
 public:
  // `capacity` > 0 bytes.
  explicit BodyBudget(std::uint64_t capacity) : capacity_(capacity) {}
  BodyBudget(const BodyBudget&) = delete;
  BodyBudget& operator=(const BodyBudget&) = delete;

  // Reserves `bytes` at once when they fit and nobody waits before; else waits (FIFO) until
  // releases make room or `timeout` passes. True when reserved (the caller then owes
  // release(bytes)), false on timeout. A coroutine destroyed while waiting leaves the queue.
  boost::asio::awaitable<bool> reserve(std::uint64_t bytes, std::chrono::milliseconds timeout);

  // Gives back `bytes` reserved earlier and admits the waiters that now fit.
  void release(std::uint64_t bytes);

  std::uint64_t reserved() const;
  std::uint64_t capacity() const { return capacity_; }

 private:
  struct Waiter;
  bool fits(std::uint64_t bytes) const {
    return used_ == 0 || (used_ <= capacity_ && bytes <= capacity_ - used_);
  }
  void admit_waiters();  // with mutex_ held

  const std::uint64_t capacity_;
  mutable std::mutex mutex_;
  std::uint64_t used_ = 0;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

// Owns bytes reserved from a BodyBudget (`bytes` at construction, plus each add()) until
// release() or its destruction gives them back.
class BodyReservation {
 public:
  BodyReservation(BodyBudget& budget, std::uint64_t bytes) : budget_(&budget), bytes_(bytes) {}
  BodyReservation(BodyReservation&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) {
    other.budget_ = nullptr;
  }
  BodyReservation& operator=(BodyReservation&&) = delete;
  ~BodyReservation() { release(); }

  // `bytes` more, already reserved from the same budget.
  void add(std::uint64_t bytes) { bytes_ += bytes; }
  std::uint64_t held() const { return bytes_; }
  void release() {
    if (budget_ != nullptr && bytes_ > 0) budget_->release(bytes_);
    bytes_ = 0;
  }

 private:
  BodyBudget* budget_;
  std::uint64_t bytes_;
};

}  // namespace hearth::server
