// The tenant whose data one thread's store calls see, without threading a parameter through
// every layer (as CancelScope does for cancellation, core/cancel.h): the server decides the
// request's tenant (`--tenancy url`: the path's `[root]/fhir/[tenant]/...`) and carries it in
// the request value (api::Request::tenant); the api's entry points install it for the thread
// that runs them, and the store reads it once per call and binds it into every statement of
// that call (docs/tenancy.md). "" is the tenant of `--tenancy none`, and of a thread that
// installed none: every store opened before tenants existed holds its data there.
//
// Thread-safety: a TenantScope belongs to the thread that made it; current() reads the calling
// thread's innermost scope. The store captures the tenant when a call starts, so work it queues
// for another thread (the group commit) runs in the caller's tenant.
#pragma once

#include <string>
#include <string_view>

namespace hearth {

// Makes `tenant` the current thread's tenant until destroyed (then the previous one is back).
class TenantScope {
 public:
  explicit TenantScope(std::string_view tenant);
  ~TenantScope();
  TenantScope(const TenantScope&) = delete;
  TenantScope& operator=(const TenantScope&) = delete;

  // The innermost installed tenant of this thread, or "" when none is.
  static std::string_view current();

 private:
  std::string tenant_;
  const std::string* previous_;
};

}  // namespace hearth
