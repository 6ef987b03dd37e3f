// The HTTP family is a dense table, one cell per (interaction, resource type): 23 x 147 cells
// of a few atomics each (about 0.6 MB, touched only where requests land), indexed by the
// route's facts with no lookup and no lock.
#include "server/server_metrics.h"

#include <array>

#include "fhir/model.h"
#include "server/process_stats.h"
#include "storage/store_metrics.h"

namespace hearth::server {
namespace {

constexpr std::array<std::string_view, 5> kStatusClasses = {"1xx", "2xx", "3xx", "4xx", "5xx"};
constexpr std::array<std::string_view, 7> kAckCodes = {"AA", "AE", "AR", "CA", "CE", "CR", "none"};

std::uint64_t micros(std::chrono::steady_clock::duration duration) {
  const auto count = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  return count < 0 ? 0 : static_cast<std::uint64_t>(count);
}

}  // namespace

struct ServerMetrics::Http {
  struct Cell {
    std::array<metrics::Counter, kStatusClasses.size()> by_class;
    metrics::Histogram latency{metrics::kLatencyMicros};
  };
  // Column 0 is "no resource type"; column t + 1 is fhir::resource_types()[t].
  const std::size_t types = fhir::resource_types().size() + 1;
  std::unique_ptr<Cell[]> cells = std::make_unique<Cell[]>(api::kInteractionLabels.size() * types);

  Cell& at(std::size_t interaction, std::size_t type) { return cells[interaction * types + type]; }
  const Cell& at(std::size_t interaction, std::size_t type) const {
    return cells[interaction * types + type];
  }
};

struct ServerMetrics::Mllp {
  std::array<metrics::Counter, kAckCodes.size()> messages;
  std::array<metrics::Histogram, kAckCodes.size()> latency;
};

ServerMetrics::ServerMetrics() : http_(std::make_unique<Http>()), mllp_(std::make_unique<Mllp>()) {}
ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::record_http(const api::RouteFacts& route, int status,
                                std::chrono::steady_clock::duration duration) noexcept {
  const std::size_t interaction =
      route.interaction < api::kInteractionLabels.size() ? route.interaction : 0;
  const std::size_t type =
      route.type >= 0 && static_cast<std::size_t>(route.type) + 1 < http_->types
          ? static_cast<std::size_t>(route.type) + 1
          : 0;
  const std::size_t status_class = status >= 100 && status < 500 ? status / 100 - 1 : 4;
  Http::Cell& cell = http_->at(interaction, type);
  cell.by_class[status_class].add();
  cell.latency.observe(micros(duration));
}

void ServerMetrics::record_mllp(std::string_view ack_code,
                                std::chrono::steady_clock::duration duration) noexcept {
  std::size_t index = kAckCodes.size() - 1;  // "none"
  for (std::size_t i = 0; i + 1 < kAckCodes.size(); ++i) {
    if (kAckCodes[i] == ack_code) index = i;
  }
  mllp_->messages[index].add();
  mllp_->latency[index].observe(micros(duration));
}

std::string ServerMetrics::render(const ServerGauges& gauges) const {
  std::string out;
  out.reserve(16 * 1024);
  metrics::TextWriter w(out);
  const std::span<const std::string_view> types = fhir::resource_types();
  auto type_label = [&types](std::size_t column) {
    return column == 0 ? std::string_view() : types[column - 1];
  };
  constexpr std::uint64_t kPerSecond = 1'000'000;

  w.family("hearth_http_requests_total", "HTTP requests answered, by route and status class.",
           "counter");
  for (std::size_t i = 0; i < api::kInteractionLabels.size(); ++i) {
    for (std::size_t t = 0; t < http_->types; ++t) {
      const Http::Cell& cell = http_->at(i, t);
      for (std::size_t c = 0; c < kStatusClasses.size(); ++c) {
        const std::uint64_t n = cell.by_class[c].value();
        if (n == 0) continue;
        w.sample("hearth_http_requests_total",
                 {{"interaction", api::kInteractionLabels[i]},
                  {"type", type_label(t)},
                  {"code", kStatusClasses[c]}},
                 n);
      }
    }
  }
  w.family("hearth_http_request_duration_seconds",
           "Time from a request's header to its written response.", "histogram");
  for (std::size_t i = 0; i < api::kInteractionLabels.size(); ++i) {
    for (std::size_t t = 0; t < http_->types; ++t) {
      const Http::Cell& cell = http_->at(i, t);
      if (cell.latency.snapshot().count == 0) continue;
      w.histogram("hearth_http_request_duration_seconds",
                  {{"interaction", api::kInteractionLabels[i]}, {"type", type_label(t)}},
                  cell.latency, kPerSecond);
    }
  }

  w.family("hearth_mllp_messages_total", "HL7 v2 messages answered over MLLP, by ACK code.",
           "counter");
  for (std::size_t a = 0; a < kAckCodes.size(); ++a) {
    w.sample("hearth_mllp_messages_total", {{"ack", kAckCodes[a]}}, mllp_->messages[a].value());
  }
  w.family("hearth_mllp_ack_duration_seconds",
           "Time from a message's last byte to its ACK written (archive commit included).",
           "histogram");
  for (std::size_t a = 0; a < kAckCodes.size(); ++a) {
    if (mllp_->messages[a].value() == 0) continue;
    w.histogram("hearth_mllp_ack_duration_seconds", {{"ack", kAckCodes[a]}}, mllp_->latency[a],
                kPerSecond);
  }

  const storage::StoreMetrics& store = storage::store_metrics();
  w.family("hearth_store_commit_duration_seconds", "Duration of each write transaction's COMMIT.",
           "histogram");
  w.histogram("hearth_store_commit_duration_seconds", {}, store.commit_micros, kPerSecond);
  w.family("hearth_store_commit_batch_writes",
           "Writes committed together by one group commit (SQLite).", "histogram");
  w.histogram("hearth_store_commit_batch_writes", {}, store.batch_writes);
  w.family("hearth_store_rollbacks_total", "Write transactions rolled back after a failure.",
           "counter");
  w.sample("hearth_store_rollbacks_total", {}, store.rollbacks.value());

  w.family("hearth_worker_queue_depth", "Requests waiting for a worker thread, by pool.", "gauge");
  w.sample("hearth_worker_queue_depth", {{"pool", "writers"}}, writers_queued.value());
  w.sample("hearth_worker_queue_depth", {{"pool", "readers"}}, readers_queued.value());
  w.sample("hearth_worker_queue_depth", {{"pool", "large"}}, large_queued.value());
  w.family("hearth_open_connections", "Connections being served, by listener kind.", "gauge");
  w.sample("hearth_open_connections", {{"listener", "http"}}, gauges.http_connections);
  w.sample("hearth_open_connections", {{"listener", "mllp"}}, gauges.mllp_connections);
  w.family("hearth_requests_in_flight",
           "HTTP requests and MLLP messages read and not yet answered.", "gauge");
  w.sample("hearth_requests_in_flight", {}, gauges.in_flight);

  const ProcessStats process = read_process_stats();
  w.family("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge");
  w.sample("process_resident_memory_bytes", {}, process.resident_bytes);
  w.family("process_start_time_seconds", "Start time of the process since the Unix epoch.",
           "gauge");
  w.sample("process_start_time_seconds", {}, process.start_time_seconds);
  w.family("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", "counter");
  w.sample("process_cpu_seconds_total", {}, process.cpu_seconds);
  w.family("process_open_fds", "Open file descriptors.", "gauge");
  w.sample("process_open_fds", {}, process.open_fds);
  return out;
}

}  // namespace hearth::server
