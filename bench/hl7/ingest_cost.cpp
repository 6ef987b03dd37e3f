// Where an HL7 v2 ingest with mapping spends its CPU, in one process (no sockets): the MLLP
// benchmark's ORU^R01 (15 OBX) or ADT^A01, each a new patient, through api::Hl7Ingest (parse,
// map to a transaction Bundle, plan, archive and write in one store transaction) on a fresh
// SQLite file, `inflight` messages outstanding at once (as that many MLLP connections each
// waiting for its ACK), so the group commit batches as it does under load. Prints messages/s,
// resources/s and CPU per message, and every non-AA ACK as a failure.
//
//   build/bench/hl7/ingest_cost [oru|adt] [messages] [inflight]
//
// CPU is process CPU time (the machine may be shared; wall time says more about neighbours).
// Under callgrind, HEARTH_COST_STAGE=map runs parse + map + plan only (no store write): the
// difference to a whole run is the store's share. HEARTH_COST_KEEP=1 keeps the store file (its
// path is printed on stderr) for a look at the rows written.
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/hl7/ingest.h"
#include "api/hl7/message_mapping.h"
#include "api/rest/rest_limits.h"
#include "bench/hl7/bench_messages.h"
#include "core/clock.h"
#include "hl7/to_fhir/message_mapper.h"
#include "hl7/v2/message.h"
#include "storage/store.h"

namespace {

double clock_seconds(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// `inflight` slots, each ingesting its next message once the previous one's ACK came, until
// `total` were sent; waits for the last ACK. The sends run on two threads of their own, as an
// MLLP connection's messages run on the server's io threads: a completion (on the store's
// thread) only hands its slot back. A thread per send instead made every thread exit free its
// stack and its allocator cache (madvise, and a TLB shootdown on the other CPU), about a tenth of
// the process's CPU that `hearth serve` does not spend.
struct Driver {
  Driver(hearth::api::Hl7Ingest& i, std::string (*m)(const std::string&), long t, int slots)
      : ingest(i), make(m), total(t), free_slots(slots) {}
  hearth::api::Hl7Ingest& ingest;
  std::string (*make)(const std::string&);
  long total;
  std::atomic<long> next{0};
  std::atomic<long> failures{0};
  std::atomic<long> resources{0};
  std::mutex mu;
  std::condition_variable cv;
  long done = 0;
  int free_slots;  // sends owed: a slot whose ACK came (or never sent)

  // Until every message was sent: takes a free slot and sends its next message.
  void sender() {
    for (;;) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return free_slots > 0 || next.load() >= total; });
        if (next.load() >= total) return;
        --free_slots;
      }
      send();
    }
  }

  void send() {
    const long n = next.fetch_add(1);
    if (n >= total) {
      cv.notify_all();
      return;
    }
    ingest.ingest(make("B" + std::to_string(n)), "127.0.0.1:1", nullptr,
                  [this](hearth::api::Hl7IngestResult r) {
                    if (r.ack_code != "AA") failures.fetch_add(1);
                    resources.fetch_add(static_cast<long>(r.written.size()));
                    std::lock_guard lock(mu);
                    ++done;
                    ++free_slots;
                    cv.notify_all();
                  });
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace hearth;
  const std::string kind = argc > 1 ? argv[1] : "oru";
  const long messages = argc > 2 ? std::atol(argv[2]) : 2000;
  const int inflight = argc > 3 ? std::atoi(argv[3]) : 32;
  const char* stage = std::getenv("HEARTH_COST_STAGE");
  std::string (*make)(const std::string&) = kind == "adt" ? &bench::adt : &bench::oru;

  const std::string dir = "/tmp/hearth-ingest-cost-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  auto clock = make_system_clock();
  auto ids = make_uuid_generator(*clock);
  auto store = storage::open_store("sqlite:" + dir + "/hearth.db", *clock);
  if (!store.is_ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().message().c_str());
    return 1;
  }
  const api::RestLimits limits;
  const hl7::to_fhir::MessageMapper mapper;
  // Lookups before the commit, as `hearth serve` does on this store with more than 2 cores
  // (server/scheduling.h resolve_messages_first); HEARTH_COST_IN_COMMIT=1 for serve's way on 2.
  const storage::StoreTraits traits = (*store)->traits();
  const api::Hl7MappingContext mapping{
      .store = **store,
      .clock = *clock,
      .ids = *ids,
      .limits = limits,
      .mapper = mapper,
      .resolve_before_commit = std::getenv("HEARTH_COST_IN_COMMIT") == nullptr &&
                               traits.cheap_reads && traits.group_commit};

  const double wall0 = clock_seconds(CLOCK_MONOTONIC);
  const double cpu0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
  long failures = 0, resources = 0;
  if (stage != nullptr && std::string(stage) == "map") {
    for (long n = 0; n < messages; ++n) {
      const std::string raw = make("B" + std::to_string(n));
      Result<hl7::Message> message = hl7::Message::parse(raw);
      if (!message.is_ok()) return 1;
      api::MessageMapping m =
          api::map_message(*message, kind == "adt" ? "ADT^A01" : "ORU^R01", "BENCH|LAB", mapping);
      if (m.outcome != api::MessageMapping::Outcome::kMapped) ++failures;
      resources += static_cast<long>(m.resources);
    }
  } else {
    api::Hl7IngestOptions options;
    options.mapping = &mapping;
    api::Hl7Ingest ingest(**store, *clock, *ids, std::move(options));
    Driver driver(ingest, make, messages, inflight);
    std::vector<std::thread> senders;
    for (int i = 0; i < 2; ++i) senders.emplace_back([&driver] { driver.sender(); });
    {
      std::unique_lock lock(driver.mu);
      driver.cv.wait(lock, [&] { return driver.done >= messages; });
    }
    for (std::thread& t : senders) t.join();
    failures = driver.failures.load();
    resources = driver.resources.load();
  }
  const double wall = clock_seconds(CLOCK_MONOTONIC) - wall0;
  const double cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
  std::printf(
      "kind=%s stage=%s messages=%ld inflight=%d seconds=%.2f msg_per_s=%.0f "
      "resources_per_s=%.0f cpu_us_per_msg=%.0f failures=%ld\n",
      kind.c_str(), stage ? stage : "all", messages, inflight, wall,
      static_cast<double>(messages) / wall, static_cast<double>(resources) / wall,
      cpu * 1e6 / static_cast<double>(messages), failures);
  store.value().reset();
  if (std::getenv("HEARTH_COST_KEEP") != nullptr) {
    std::fprintf(stderr, "store kept: %s/hearth.db\n", dir.c_str());
  } else {
    std::filesystem::remove_all(dir);
  }
  return failures == 0 ? 0 : 1;
}
