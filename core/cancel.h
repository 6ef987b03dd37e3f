// Cancellation of the work one thread does for one request, without threading a parameter
// through every layer: the server marks the request's CancelToken cancelled when its client
// leaves, and installs the token for the thread that runs the request (CancelScope); the store
// picks the current token up when it starts a statement and aborts the statement once the
// token is cancelled (storage/session_pool.h).
//
// Thread-safety: cancel() and cancelled() may be called from any thread. A CancelScope
// belongs to the thread that made it; the token must outlive the scope.
#pragma once

#include <atomic>

namespace hearth {

class CancelToken {
 public:
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

// Makes `token` the current thread's token until destroyed (then the previous one is back).
class CancelScope {
 public:
  explicit CancelScope(const CancelToken* token);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

  // The innermost installed token of this thread, or nullptr.
  static const CancelToken* current();

 private:
  const CancelToken* previous_;
};

}  // namespace hearth
