// Routing below /hl7: a method and a path -> the operating API's operation, as data like the
// REST core's (api/rest/route.h). The route table lives in route.cpp; this header is its
// contract.
#pragma once

#include <string>
#include <string_view>

#include "api/service.h"
#include "core/status.h"

namespace hearth::api {

enum class Hl7Operation {
  kList,    // GET messages
  kRead,    // GET messages/{id}
  kReplay,  // POST messages/{id}/$replay
  kX12,     // POST x12 (the server's POST /x12)
};

struct Hl7Route {
  Hl7Operation operation = Hl7Operation::kList;
  StoreUse store_use = StoreUse::kNone;
  // The {id} segment as sent (the operation checks it), a view into the routed path; empty for
  // kList.
  std::string_view id;
};

// The route for `method` ("HEAD" is matched as "GET") on `path` (below /hl7, as in
// Request::path). Errors: kNotFound when no route has the path's shape; kMethodNotAllowed when
// one has but not for `method`: `allow` then holds the methods served there ("GET", "POST").
Result<Hl7Route> route_hl7_request(std::string_view method, std::string_view path,
                                   std::string& allow);

}  // namespace hearth::api
