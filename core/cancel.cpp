// The cancellation token and the thread's current one.
#include "core/cancel.h"

#include <utility>

namespace hearth {
namespace {

thread_local const CancelToken* current_token = nullptr;

}  // namespace

void CancelToken::cancel() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled_.exchange(true, std::memory_order_relaxed)) return;
  if (hook_) hook_();
}

bool CancelToken::set_hook(std::function<void()> hook) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled()) return false;
  hook_ = std::move(hook);
  return true;
}

void CancelToken::clear_hook() const {
  std::lock_guard<std::mutex> lock(mutex_);
  hook_ = nullptr;
}

CancelScope::CancelScope(const CancelToken* token) : previous_(current_token) {
  current_token = token;
}

CancelScope::~CancelScope() {
  current_token = previous_;
}

const CancelToken* CancelScope::current() {
  return current_token;
}

}  // namespace hearth
