// The server's metric families as /metrics renders them.
#include "server/server_metrics.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "fhir/model.h"

namespace hearth::server {
namespace {

std::int16_t type_index(std::string_view type) {
  const auto types = fhir::resource_types();
  return static_cast<std::int16_t>(std::find(types.begin(), types.end(), type) - types.begin());
}

std::uint8_t interaction(std::string_view label) {
  return static_cast<std::uint8_t>(
      std::find(api::kInteractionLabels.begin(), api::kInteractionLabels.end(), label) -
      api::kInteractionLabels.begin());
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST_CASE("server metrics: HTTP requests by interaction, type and status class") {
  ServerMetrics metrics;
  const api::RouteFacts read{api::StoreUse::kPointRead, interaction("read"), type_index("Patient")};
  metrics.record_http(read, 200, std::chrono::microseconds(300));
  metrics.record_http(read, 200, std::chrono::microseconds(90));
  metrics.record_http(read, 404, std::chrono::milliseconds(2));
  metrics.record_http(api::RouteFacts{}, 400, std::chrono::microseconds(50));
  metrics.record_http(read, 999, std::chrono::microseconds(50));  // out of range: 5xx
  const std::string text = metrics.render(ServerGauges{.http_connections = 3, .in_flight = 1});
  CHECK(has_line(
      text, "hearth_http_requests_total{interaction=\"read\",type=\"Patient\",code=\"2xx\"} 2"));
  CHECK(has_line(
      text, "hearth_http_requests_total{interaction=\"read\",type=\"Patient\",code=\"4xx\"} 1"));
  CHECK(has_line(
      text, "hearth_http_requests_total{interaction=\"read\",type=\"Patient\",code=\"5xx\"} 1"));
  CHECK(has_line(text,
                 "hearth_http_requests_total{interaction=\"unknown\",type=\"\",code=\"4xx\"} 1"));
  // Only what happened is listed.
  CHECK(text.find("interaction=\"create\"") == std::string::npos);
  CHECK(
      has_line(text,
               "hearth_http_request_duration_seconds_bucket{interaction=\"read\",type=\"Patient\","
               "le=\"0.0001\"} 2"));
  CHECK(
      has_line(text,
               "hearth_http_request_duration_seconds_bucket{interaction=\"read\",type=\"Patient\","
               "le=\"0.0005\"} 3"));
  CHECK(has_line(
      text, "hearth_http_request_duration_seconds_count{interaction=\"read\",type=\"Patient\"} 4"));
  CHECK(has_line(text, "hearth_open_connections{listener=\"http\"} 3"));
  CHECK(has_line(text, "hearth_requests_in_flight 1"));
  CHECK(text.find("# TYPE hearth_http_request_duration_seconds histogram") != std::string::npos);
}

TEST_CASE("server metrics: MLLP messages by ACK code, queue depths, the process") {
  ServerMetrics metrics;
  metrics.record_mllp("AA", std::chrono::milliseconds(3));
  metrics.record_mllp("AA", std::chrono::milliseconds(30));
  metrics.record_mllp("CR", std::chrono::milliseconds(1));
  metrics.record_mllp("", std::chrono::milliseconds(1));
  metrics.record_mllp("XX", std::chrono::milliseconds(1));  // not an ACK code: none
  metrics.readers_queued.add(2);
  const std::string text = metrics.render(ServerGauges{});
  CHECK(has_line(text, "hearth_mllp_messages_total{ack=\"AA\"} 2"));
  CHECK(has_line(text, "hearth_mllp_messages_total{ack=\"CR\"} 1"));
  CHECK(has_line(text, "hearth_mllp_messages_total{ack=\"AE\"} 0"));
  CHECK(has_line(text, "hearth_mllp_messages_total{ack=\"none\"} 2"));
  CHECK(has_line(text, "hearth_mllp_ack_duration_seconds_bucket{ack=\"AA\",le=\"0.005\"} 1"));
  CHECK(has_line(text, "hearth_mllp_ack_duration_seconds_sum{ack=\"AA\"} 0.033"));
  CHECK(has_line(text, "hearth_worker_queue_depth{pool=\"readers\"} 2"));
  CHECK(text.find("\nprocess_resident_memory_bytes ") != std::string::npos);
  CHECK(text.find("\nprocess_resident_memory_bytes 0\n") == std::string::npos);
  CHECK(text.find("\nprocess_start_time_seconds ") != std::string::npos);
  CHECK(text.find("# TYPE hearth_store_commit_duration_seconds histogram") != std::string::npos);
}

}  // namespace
}  // namespace hearth::server
