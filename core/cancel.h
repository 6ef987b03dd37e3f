// Cancellation of the work one thread does for one request, without threading a parameter
// through every layer: the server marks the request's CancelToken cancelled when its client
// leaves, and installs the token for the thread that runs the request (CancelScope); the store
// picks the current token up when it starts a statement and aborts the statement once the
// token is cancelled (storage/session_pool.h): SQLite by polling cancelled(), PostgreSQL
// through a hook that sends the server a cancel request.
//
// Thread-safety: every member may be called from any thread. A CancelScope belongs to the
// thread that made it; the token must outlive the scope.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>

namespace hearth {

class CancelToken {
 public:
  // Marks the token cancelled and runs the hook, if one is set, on this thread (once).
  void cancel() const;
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

  // Sets the hook run by cancel(); it must be quick and not throw. Returns false (and keeps
  // no hook) when the token is already cancelled. clear_hook() returns after a running hook.
  bool set_hook(std::function<void()> hook) const;
  void clear_hook() const;

 private:
  mutable std::atomic<bool> cancelled_{false};
  mutable std::mutex mutex_;
  mutable std::function<void()> hook_;
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
