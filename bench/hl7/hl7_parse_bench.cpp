// HL7 v2 ER7 parse throughput (one thread, best of N rounds): every well-formed message of the
// public corpus (tests/data/corpus/hl7v2 or $HEARTH_CORPUS_DIR/hl7v2), repeated to ~target MB,
// each parsed with Message::parse; then path access (PID-3[1].1, PID-5.1, MSH-9.2, OBX-5) over
// the parsed messages.
//
//   build/bench/hl7/hl7_parse_bench [target_mb] [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "hl7/v2/batch.h"
#include "hl7/v2/message.h"
#include "tests/test_paths.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const double target_mb = argc > 1 ? std::atof(argv[1]) : 50.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  fs::path root = std::getenv("HEARTH_CORPUS_DIR") != nullptr
                      ? fs::path(std::getenv("HEARTH_CORPUS_DIR"))
                      : fs::path(hearth::test::source_dir()) / "tests" / "data" / "corpus";
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root / "hl7v2")) {
    if (e.path().extension() != ".hl7") continue;
    std::ifstream in(e.path(), std::ios::binary);
    files.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // Each message's own bytes, so the timed loop parses one message per call.
  std::vector<std::string> corpus;
  std::size_t corpus_bytes = 0;
  for (const auto& text : files) {
    auto batch = hearth::hl7::Batch::parse(text);
    if (!batch) continue;
    for (const auto& group : batch->groups()) {
      for (const auto& m : group.messages) {
        corpus.push_back(m.write());
        corpus_bytes += corpus.back().size();
      }
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "hl7_parse_bench: no corpus under %s\n", root.string().c_str());
    return 1;
  }
  const auto target = static_cast<std::size_t>(target_mb * 1024 * 1024);
  std::vector<std::string_view> inputs;
  std::size_t bytes = 0;
  while (bytes < target) {
    for (const auto& m : corpus) {
      inputs.emplace_back(m);
      bytes += m.size();
    }
  }
  std::printf("hl7 parse bench: %zu distinct messages, %zu parses per round, %.1f MB\n",
              corpus.size(), inputs.size(), bytes / 1048576.0);
  double best = 1e30;
  std::size_t segments = 0;
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    segments = 0;
    for (std::string_view in : inputs) {
      auto m = hearth::hl7::Message::parse(in);
      if (!m) return 1;
      segments += m->segment_count();
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::printf("parse: %.0f messages/s, %.0f MB/s (%zu segments per round)\n", inputs.size() / best,
              bytes / 1048576.0 / best, segments);

  std::vector<hearth::hl7::Message> parsed;
  for (const auto& m : corpus) parsed.push_back(hearth::hl7::Message::parse(m).value());
  std::vector<hearth::hl7::Path> paths;
  for (const char* p : {"PID-3[1].1", "PID-5.1", "MSH-9.2", "OBX-5", "PV1-3.1"}) {
    paths.push_back(*hearth::hl7::parse_path(p));
  }
  double best_access = 1e30;
  std::size_t lookups = 0, found = 0;
  std::string buffer;
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    lookups = found = 0;
    for (int rep = 0; rep < 20; ++rep) {
      for (const auto& m : parsed) {
        for (const auto& p : paths) {
          auto v = m.get_decoded(p, buffer);
          ++lookups;
          if (v) found += v->empty() ? 0 : 1;
        }
      }
    }
    best_access =
        std::min(best_access, std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::printf("path access (get_decoded): %.0f lookups/s (%zu per round, %zu non-empty)\n",
              lookups / best_access, lookups, found);
  return 0;
}
