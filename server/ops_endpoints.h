// The server's own endpoints, beside /fhir and /hl7, for the machines that run it:
//   GET /healthz  200 "ok" while the process serves requests (Kubernetes liveness)
//   GET /readyz   200 "ready" when the store answers and its schema is this binary's, and the
//                 server is not shutting down; else 503 with the failing check (readiness)
//   GET /metrics  the Prometheus text exposition (server/server_metrics.h)
// HEAD is served like GET; any other method is 405 with Allow. The probes need no token and
// skip the Host check (a probe reaches the pod by address); /metrics is Host-checked and, under
// --auth jwt, needs a bearer token with a system-level read scope (api::authorize_operations).
// This file holds the pure parts; the session (http_session.cpp) does the I/O.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "api/request.h"
#include "core/status.h"

namespace hearth::server {

enum class OpsEndpoint { kNone, kMetrics, kHealthz, kReadyz };

// The endpoint `target` names ("/metrics", also with a query, which is ignored); kNone for
// everything else.
OpsEndpoint ops_endpoint(std::string_view target);

// Its label in api::kInteractionLabels, for metrics and log lines.
std::uint8_t ops_interaction_label(OpsEndpoint endpoint);

// The 405 (with Allow: GET, HEAD) for a method other than GET and HEAD.
api::Response ops_method_not_allowed(std::string_view method);

// A plain-text answer: 200 with `text`, or 503 with the failing check's text.
api::Response plain_text(int status, std::string_view text);

// GET /readyz's answer for the store's readiness (Store::check_ready) and the server's state.
// The store's failure text is shown only for a schema mismatch; an unreachable store shows
// "store: unavailable" (the reason, which may name hosts, goes to the log).
api::Response readiness_response(const Status& store, bool stopping);

}  // namespace hearth::server
