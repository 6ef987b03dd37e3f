// The server's metric instruments (core/metrics.h), one set per HttpServer, and their rendering
// for GET /metrics with the store's (storage/store_metrics.h) and the process's.
//
// Families (Prometheus names; labels from closed sets only, never an id or a value):
//   hearth_http_requests_total{interaction,type,code}  counter; code is the status class
//       ("2xx".."5xx"); interaction from api::kInteractionLabels, type a resource type or ""
//   hearth_http_request_duration_seconds{interaction,type}  histogram, header read to response
//       written
//   hearth_mllp_messages_total{ack}  counter; ack AA, AE, AR, CA, CE, CR or "none" (no ACK sent)
//   hearth_mllp_ack_duration_seconds{ack}  histogram, a frame's last byte to its ACK written
//   hearth_store_commit_duration_seconds, hearth_store_commit_batch_writes  histograms;
//   hearth_store_rollbacks_total  counter
//   hearth_worker_queue_depth{pool}  gauge; pool writers, readers, large (requests waiting for
//       a worker)
//   hearth_open_connections{listener}  gauge; listener http (HTTP and HTTPS), mllp (both)
//   hearth_requests_in_flight  gauge (HTTP requests and MLLP messages being handled)
//   process_resident_memory_bytes, process_start_time_seconds, process_cpu_seconds_total,
//   process_open_fds  (the standard process collector's names)
//
// Recording costs a few relaxed atomic adds and no allocation; every series exists from the
// start (a counter at 0 is written only once it moved, so a scrape lists what happened).
//
// Thread-safety: record_* from any thread; render() from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/service.h"
#include "core/metrics.h"

namespace hearth::server {

// What render() reads besides the instruments: the live counts of the server.
struct ServerGauges {
  std::int64_t http_connections = 0;
  std::int64_t mllp_connections = 0;
  std::int64_t in_flight = 0;
};

class ServerMetrics {
 public:
  ServerMetrics();
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // One HTTP response: its route's labels, its status (100-599; others count as 5xx), its time.
  void record_http(const api::RouteFacts& route, int status,
                   std::chrono::steady_clock::duration duration) noexcept;
  // One MLLP message answered with `ack_code` ("" when no ACK was sent).
  void record_mllp(std::string_view ack_code,
                   std::chrono::steady_clock::duration duration) noexcept;

  // Requests waiting for a worker of each pool: +1 when queued, -1 when a worker takes it.
  metrics::Gauge writers_queued;
  metrics::Gauge readers_queued;
  metrics::Gauge large_queued;

  // The text exposition of every family above (content type kMetricsContentType).
  std::string render(const ServerGauges& gauges) const;

 private:
  struct Http;
  struct Mllp;
  std::unique_ptr<Http> http_;
  std::unique_ptr<Mllp> mllp_;
};

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace hearth::server
