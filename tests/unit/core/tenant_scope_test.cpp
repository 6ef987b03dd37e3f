// TenantScope: the thread's current tenant, "" without one, nesting, other threads unaffected.
#include "core/tenant_scope.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>

namespace hearth {
namespace {

TEST_CASE("TenantScope installs a tenant for this thread only, nested scopes restore") {
  CHECK(TenantScope::current().empty());
  {
    std::string name = "clinic-a";
    TenantScope a(name);
    name = "changed";  // the scope keeps its own copy
    CHECK(TenantScope::current() == "clinic-a");
    {
      TenantScope b("clinic-b");
      CHECK(TenantScope::current() == "clinic-b");
      std::string seen = "unset";
      std::thread([&seen] { seen = std::string(TenantScope::current()); }).join();
      CHECK(seen.empty());
    }
    CHECK(TenantScope::current() == "clinic-a");
  }
  CHECK(TenantScope::current().empty());
}

}  // namespace
}  // namespace hearth
