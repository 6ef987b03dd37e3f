// Creates per second in one process, the whole write path but HTTP: parse the body, validate it
// (fhir::validation_issues: the structure and required bindings, with or without the base
// definitions' invariants), build the write (index extraction, stamping; api::build_write) and
// the store's create, on a fresh SQLite file, by `threads` writers at once.
//
//   build/bench/store/create_rate MODE [BODY.json] [creates] [threads]
//     MODE: invariants (every write's validation, as Hearth runs it) or structure (the same
//     without invariants)
//
// Prints one line: creates/s (wall) and CPU per create. bench/run_validation.sh runs both modes as
// an alternating pair; the ratio of their times is what invariants cost a create.
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "api/rest/rest_limits.h"
#include "api/rest/write_request.h"
#include "core/clock.h"
#include "fhir/json.h"
#include "fhir/validate.h"
#include "storage/store.h"

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "create_rate: %s\n", why.c_str());
  std::exit(1);
}

double seconds(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: create_rate invariants|structure [BODY.json] [creates] [threads]");
  const std::string mode = argv[1];
  if (mode != "invariants" && mode != "structure") die("MODE is invariants or structure");
  const auto invariants =
      mode == "invariants" ? hearth::fhir::Invariants::kChecked : hearth::fhir::Invariants::kNone;
  const std::string body_path = argc > 2 ? argv[2] : "bench/data/patient-2k.json";
  const int creates = argc > 3 ? std::atoi(argv[3]) : 5000;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 4;
  std::ifstream in(body_path, std::ios::binary);
  if (!in) die("cannot read " + body_path);
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string type;
  {
    auto doc = hearth::fhir::parse_json(body);
    if (!doc.is_ok() || !doc->HasMember("resourceType")) die("not a resource: " + body_path);
    type = (*doc)["resourceType"].GetString();
  }

  const auto dir =
      std::filesystem::temp_directory_path() / ("hearth-create-rate-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto clock = hearth::make_system_clock();
  {
    auto opened = hearth::storage::open_store("sqlite:" + (dir / "hearth.db").string(), *clock);
    if (!opened.is_ok()) die(opened.status().message());
    hearth::storage::Store& store = **opened;
    const hearth::api::RestLimits limits;
    {
      // Warm-up: the model tables and the invariants' compiled expressions (once per process).
      auto doc = hearth::fhir::parse_json(body);
      (void)hearth::fhir::validation_issues(*doc, type, invariants);
    }
    std::atomic<int> next{0};
    const double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID), wall = seconds(CLOCK_MONOTONIC);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (int i = next++; i < creates; i = next++) {
          auto doc = hearth::fhir::parse_json(body);
          if (!doc.is_ok()) die("parse: " + doc.status().message());
          for (const hearth::Issue& issue :
               hearth::fhir::validation_issues(*doc, type, invariants)) {
            if (issue.severity == hearth::Severity::kError) die("invalid: " + issue.diagnostics);
          }
          char id[40];
          std::snprintf(id, sizeof id, "0190a1b2-c3d4-7e5f-8a9b-%012d", i);
          auto write =
              hearth::api::build_write(type, id, *doc, doc->GetAllocator(), limits.max_index_rows);
          if (!write.is_ok()) die("build: " + write.status().message());
          auto created = store.create(*write);
          if (!created.is_ok()) die("create: " + created.status().message());
        }
      });
    }
    for (auto& w : workers) w.join();
    const double cpu_s = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    const double wall_s = seconds(CLOCK_MONOTONIC) - wall;
    std::printf("create_rate %s: %d creates, %d threads: %.0f creates/s wall, %.1f us cpu/create\n",
                mode.c_str(), creates, threads, creates / wall_s, cpu_s * 1e6 / creates);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
