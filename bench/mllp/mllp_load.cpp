// bench_mllp_load HOST PORT SECONDS CONNECTIONS...
// For each connection count: that many threads, each with one MLLP connection, send ORU^R01
// messages with unique control ids one at a time (waiting for each ACK) for SECONDS. Prints one
// line per count: messages/s, p50/p99 of the send-to-ACK time, and how many ACKs were not AA.
// Exit status 1 when a connection fails or any ACK is not AA.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/hl7_ingest.h"
#include "server/mllp_client.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string oru(const std::string& control_id) {
  return "MSH|^~\\&|BENCH|LAB|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|" + control_id +
         "|P|2.5.1\rPID|1||67890^^^MRN||SMITH^JANE^B||19901215|F\r"
         "OBR|1|ORD001|LAB001|CBC^Complete Blood Count^LN|||20260309100000\r"
         "OBX|1|NM|WBC^White Blood Cell Count^LN||7.5|10*3/uL|4.5-11.0|N|||F\r"
         "OBX|2|NM|HGB^Hemoglobin^LN||13.2|g/dL|12.0-16.0|N|||F\r";
}

struct Run {
  long long messages = 0, not_aa = 0, failures = 0;
  double seconds = 0, p50_ms = 0, p99_ms = 0;
};

Run run(const std::string& host, std::uint16_t port, double seconds, int connections,
        const std::string& prefix) {
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::atomic<long long> not_aa{0}, failures{0};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> mine;
      auto client = hearth::server::MllpClient::connect(host, port, std::chrono::seconds(30));
      if (!client) {
        ++failures;
        std::fprintf(stderr, "connect: %s\n", client.status().message().c_str());
        return;
      }
      for (long long i = 0; Clock::now() < deadline; ++i) {
        const auto sent = Clock::now();
        auto ack = (*client)->exchange(
            oru(prefix + "-" + std::to_string(c) + "-" + std::to_string(i)));
        if (!ack) {
          ++failures;
          std::fprintf(stderr, "exchange: %s\n", ack.status().message().c_str());
          break;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        if (hearth::api::ack_code_of(*ack) != "AA") ++not_aa;
      }
      std::lock_guard lock(mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  Run r;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.messages = static_cast<long long>(latencies_ms.size());
  r.not_aa = not_aa.load();
  r.failures = failures.load();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  if (!latencies_ms.empty()) {
    r.p50_ms = latencies_ms[latencies_ms.size() / 2];
    r.p99_ms = latencies_ms[std::min(latencies_ms.size() - 1, latencies_ms.size() * 99 / 100)];
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: bench_mllp_load HOST PORT SECONDS CONNECTIONS...\n");
    return 2;
  }
  const std::string host = argv[1];
  const auto port = static_cast<std::uint16_t>(std::atoi(argv[2]));
  const double seconds = std::atof(argv[3]);
  // Unique per run, so a store reused between runs never sees a duplicate control id.
  const std::string prefix =
      "B" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  bool ok = true;
  for (int i = 4; i < argc; ++i) {
    const int connections = std::atoi(argv[i]);
    Run r = run(host, port, seconds, connections, prefix + "c" + argv[i]);
    std::printf("connections=%d messages=%lld seconds=%.1f msg_per_s=%.0f p50_ms=%.2f "
                "p99_ms=%.2f not_aa=%lld failures=%lld\n",
                connections, r.messages, r.seconds, r.messages / r.seconds, r.p50_ms, r.p99_ms,
                r.not_aa, r.failures);
    std::fflush(stdout);
    ok = ok && r.not_aa == 0 && r.failures == 0;
  }
  return ok ? 0 : 1;
}
