// The FHIR REST core (https://hl7.org/fhir/R4/http.html) as one plain function: a Request value
// in, a Response value out, in named stages (route -> decode -> execute -> encode). No sockets;
// server/ calls handle() inline or from a worker pool, or handle_async() on its io thread for a
// write on a group-committing store, as store_use() and the store's traits say. Every write
// interaction is completion-based and written once (interactions.h): handle() waits for it.
//
// Thread-safety: handle() may be called concurrently from many threads; the handler holds no
// per-request state. The store, clock and id generator must outlive it and be thread-safe.
#pragma once

#include "api/request.h"
#include "api/rest/rest_limits.h"
#include "api/rest/security_description.h"
#include "api/service.h"
#include "core/clock.h"
#include "core/status.h"
#include "storage/resource_store.h"

namespace hearth::api {

class BulkExportJobs;  // api/rest/bulk_export_jobs.h

class RestHandler final : public Service {
 public:
  // `security` is only described (CapabilityStatement rest.security, the SMART configuration):
  // authentication itself happens before the REST core (server/).
  // `exports` runs Bulk Data $export jobs (bulk_export.h); null: $export answers 501.
  RestHandler(storage::ResourceStore& store, Clock& clock, IdGenerator& ids, RestLimits limits = {},
              SecurityDescription security = {}, BulkExportJobs* exports = nullptr);

  // Never throws for anything a client controls; every error becomes an OperationOutcome
  // response with the status from core/code_table.h.
  Response handle(const Request& request) const override;

  // Service::handle_async: taken (true) for every write route, and for a request whose answer
  // is an error found before routing; false for reads and metadata.
  bool handle_async(const Request& request, std::function<void(Finish)> done) const override;

  // The StoreUse column of the route row serving `request` (api/rest/route.cpp); kNone when
  // routing fails (the answer is a 404/405/400 without the store).
  StoreUse store_use(const Request& request) const override;
  // The same routing with the interaction and resource type labels.
  RouteFacts route_facts(const Request& request) const override;

 private:
  storage::ResourceStore& store_;
  Clock& clock_;
  IdGenerator& ids_;
  RestLimits limits_;
  SecurityDescription security_;
  BulkExportJobs* exports_;
};

// An OperationOutcome response for an error found before the REST core (oversized body, bad
// URL encoding, unknown path). `request` supplies Accept/_format/_pretty; it may be
// partially filled.
Response error_response(const Status& status, const Request& request);

}  // namespace hearth::api
