// Paths, labels and plain-text answers of /healthz, /readyz and /metrics.
#include "server/ops_endpoints.h"

#include <algorithm>

#include "api/service.h"

namespace hearth::server {
namespace {

std::uint8_t label_index(std::string_view label) {
  const auto it = std::find(api::kInteractionLabels.begin(), api::kInteractionLabels.end(), label);
  return static_cast<std::uint8_t>(it - api::kInteractionLabels.begin());
}

}  // namespace

OpsEndpoint ops_endpoint(std::string_view target) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (path == "/metrics") return OpsEndpoint::kMetrics;
  if (path == "/healthz") return OpsEndpoint::kHealthz;
  if (path == "/readyz") return OpsEndpoint::kReadyz;
  return OpsEndpoint::kNone;
}

std::uint8_t ops_interaction_label(OpsEndpoint endpoint) {
  static const std::uint8_t metrics = label_index("metrics");
  static const std::uint8_t healthz = label_index("healthz");
  static const std::uint8_t readyz = label_index("readyz");
  switch (endpoint) {
    case OpsEndpoint::kMetrics: return metrics;
    case OpsEndpoint::kHealthz: return healthz;
    case OpsEndpoint::kReadyz: return readyz;
    case OpsEndpoint::kNone: break;
  }
  return 0;
}

api::Response plain_text(int status, std::string_view text) {
  api::Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body.assign(text);
  response.body += '\n';
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

api::Response ops_method_not_allowed(std::string_view method) {
  api::Response response =
      plain_text(405, std::string(method) + " is not allowed here; use GET or HEAD");
  response.headers.emplace_back("Allow", "GET, HEAD");
  return response;
}

api::Response readiness_response(const Status& store, bool stopping) {
  if (stopping) return plain_text(503, "not ready: shutting down");
  if (store.code() == Code::kPreconditionFailed) {
    return plain_text(503, "not ready: " + store.message());
  }
  if (!store.is_ok()) return plain_text(503, "not ready: store unavailable");
  return plain_text(200, "ready");
}

}  // namespace hearth::server
