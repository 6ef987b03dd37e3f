// The FHIR REST core (https://hl7.org/fhir/R4/http.html) as one plain function: a Request value
// in, a Response value out, in named stages (route -> decode -> execute -> encode). No sockets;
// server/ calls handle() from its worker pool.
//
// Thread-safety: handle() may be called concurrently from many threads; the handler holds no
// per-request state. The store, clock and id generator must outlive it and be thread-safe.
#pragma once

#include "api/request.h"
#include "api/rest_limits.h"
#include "core/clock.h"
#include "core/status.h"
#include "storage/store.h"

namespace hearth::api {

class RestHandler {
 public:
  // `traits` are the store's (Store::traits()), read once here.
  RestHandler(storage::ResourceStore& store, storage::StoreTraits traits, Clock& clock,
              IdGenerator& ids, RestLimits limits = {});

  // Never throws for anything a client controls; every error becomes an OperationOutcome
  // response with the status from core/code_table.h.
  Response handle(const Request& request) const;

  // True when handle(request) will not wait on anything (a network round trip, the write lock),
  // so the caller may run it on an event-loop thread: the CapabilityStatement, requests that
  // fail before the store, and read/vread when the store's reads are cheap (traits).
  bool answers_quickly(const Request& request) const;

 private:
  storage::ResourceStore& store_;
  storage::StoreTraits traits_;
  Clock& clock_;
  IdGenerator& ids_;
  RestLimits limits_;
};

// An OperationOutcome response for an error found before the REST core (oversized body, bad
// URL encoding, unknown path). `request` supplies Accept/_format/_pretty; it may be
// partially filled.
Response error_response(const Status& status, const Request& request);

}  // namespace hearth::api
