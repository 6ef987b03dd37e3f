// The thread's current cancellation token.
#include "core/cancel.h"

namespace hearth {
namespace {

thread_local const CancelToken* current_token = nullptr;

}  // namespace

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
