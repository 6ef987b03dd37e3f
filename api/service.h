// What the server sees of each API product (the FHIR REST core, the /hl7 operating API): one
// call that answers a request, and the word of the route row that serves it on what that call
// does with the store. The server decides from that word and the store's traits, stated once at
// start, where the call runs (ARCHITECTURE.md, "Requests"); nothing below it asks.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>

#include "api/request.h"

namespace hearth::api {

// What a route's operation does with the store: a column of every route table
// (api/rest/route.cpp, api/hl7/route.cpp). A fact about the route, not a scheduling decision.
enum class StoreUse {
  kNone,       // answers without the store: the CapabilityStatement, errors found before it
  kPointRead,  // reads by primary key (read, vread): waits only when the store's reads are not
               // cheap (a network round trip)
  kRead,       // other reads (search, history, the message archive): may take long; a read
               // whose client leaves may be cancelled
  kWrite,      // writes, and what runs ingest ($replay): waits on the write path, never cancelled
};

// The closed set of interaction labels the routes of every API product map to, for metrics and
// log lines (never an id or a value): FHIR's interaction codes ("transaction" also stands for
// batch), the operations, the /hl7 API's, and the server's own endpoints (GET /metrics,
// /healthz, /readyz). Index 0 is a request no route serves.
inline constexpr std::array<std::string_view, 39> kInteractionLabels = {"unknown",
                                                                        "capabilities",
                                                                        "read",
                                                                        "vread",
                                                                        "update",
                                                                        "delete",
                                                                        "patch",
                                                                        "create",
                                                                        "history-instance",
                                                                        "history-type",
                                                                        "history-system",
                                                                        "search-type",
                                                                        "search-compartment",
                                                                        "search-system",
                                                                        "transaction",
                                                                        "conditional-update",
                                                                        "conditional-delete",
                                                                        "conditional-patch",
                                                                        "smart-configuration",
                                                                        "validate",
                                                                        "validate-code",
                                                                        "lookup",
                                                                        "expand",
                                                                        "subsumes",
                                                                        "translate",
                                                                        "everything",
                                                                        "export",
                                                                        "export-status",
                                                                        "export-delete",
                                                                        "export-file",
                                                                        "hl7v2",
                                                                        "x12",
                                                                        "hl7-list",
                                                                        "hl7-read",
                                                                        "hl7-replay",
                                                                        "x12-ingest",
                                                                        "metrics",
                                                                        "healthz",
                                                                        "readyz"};

// What the route serving a request is, decided by routing alone (no store, no body).
struct RouteFacts {
  StoreUse store_use = StoreUse::kNone;
  std::uint8_t interaction = 0;  // index into kInteractionLabels
  std::int16_t type = -1;        // index into fhir::resource_types(); -1: no resource type
};

// An API product behind a base path. Implementations hold no per-request state: both calls may
// run concurrently from many threads.
class Service {
 public:
  virtual ~Service() = default;

  // The StoreUse of the route that serves `request` ("HEAD" counts as "GET"); kNone when no
  // route does (the answer is then an error found before the store).
  virtual StoreUse store_use(const Request& request) const = 0;

  // store_use() with the route's labels, from one routing; the default knows no labels.
  virtual RouteFacts route_facts(const Request& request) const {
    return RouteFacts{store_use(request)};
  }

  // The answer. Never throws for anything a client controls.
  virtual Response handle(const Request& request) const = 0;

  // What handle_async() hands over: builds the answer handle() would give, when called.
  using Finish = std::function<Response()>;

  // The completion-based form of handle(), for the routes whose store call can complete on its
  // own (writes on a group-committing store, StoreTraits::group_commit): the work before the
  // store call runs on the calling thread; `done` is called exactly once, on whatever thread
  // completed the call (the store's committer thread; the calling thread for an answer found
  // before the store, or where the store's completion forms block, see
  // storage/resource_store.h), with the Finish that builds the answer. `done` must not block
  // and should leave building the answer to another thread (the committer serves every write):
  // call the Finish once, anywhere, while `request` is alive. `request` must stay alive until
  // then. Returns false, without calling `done`, when the route has no completion form: call
  // handle() then.
  virtual bool handle_async(const Request& /*request*/,
                            std::function<void(Finish)> /*done*/) const {
    return false;
  }
};

}  // namespace hearth::api
