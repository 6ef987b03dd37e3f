// The thread's current tenant.
#include "core/tenant_scope.h"

namespace hearth {
namespace {

thread_local const std::string* current_tenant = nullptr;

}  // namespace

TenantScope::TenantScope(std::string_view tenant) : tenant_(tenant), previous_(current_tenant) {
  current_tenant = &tenant_;
}

TenantScope::~TenantScope() {
  current_tenant = previous_;
}

std::string_view TenantScope::current() {
  return current_tenant == nullptr ? std::string_view() : std::string_view(*current_tenant);
}

}  // namespace hearth
