// HL7 v2 -> FHIR mapping throughput (one thread, best of N rounds): an ORU^R01 with 15 OBX and
// the corpus's FHIR-Converter ADT^A01 sample, each parsed and mapped to its transaction Bundle
// (hl7/to_fhir/message_mapper.h) per iteration. No store: this is the mapping's share of an
// ingest, to set beside the MLLP ingest figures of bench/run_mllp.sh.
//
//   build/bench/hl7/to_fhir_bench [iterations] [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "fhir/json.h"
#include "hl7/to_fhir/message_mapper.h"
#include "hl7/v2/message.h"
#include "tests/test_paths.h"

using Clock = std::chrono::steady_clock;

namespace {

std::string oru_with_15_obx() {
  std::string m =
      "MSH|^~\\&|LAB|HOSP|HEARTH|HOSP|20260101120000||ORU^R01^ORU_R01|1|P|2.5.1\r"
      "PID|1||123456^^^HOSP^MR||DOE^JANE^Q||19700101|F|||1 MAIN ST^^SPRINGFIELD^IL^62701\r"
      "PV1|1|O|CLINIC^101^1|||||||||||||||V100^^^HOSP\r"
      "ORC|RE|P100|F100\r"
      "OBR|1|P100|F100|24331-1^Lipid panel^LN|||20260101100000|||||||||||||||20260101110000|||F\r";
  for (int i = 1; i <= 15; ++i) {
    m += "OBX|" + std::to_string(i) + "|NM|" + std::to_string(2000 + i) + "-" +
         std::to_string(i % 10) + "^Analyte " + std::to_string(i) + "^LN||" +
         std::to_string(100 + i) + ".5|mg/dL^^UCUM|50-150|N|||F|||20260101100000\r";
  }
  return m;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void run(const char* name, const std::string& raw, int iterations, int rounds) {
  const hearth::hl7::to_fhir::MessageMapper mapper;
  double best = 1e18;
  std::size_t resources = 0;
  std::size_t bytes = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto start = Clock::now();
    for (int i = 0; i < iterations; ++i) {
      auto message = hearth::hl7::Message::parse(raw);
      if (!message) std::abort();
      int id = 0;
      auto mapped = mapper.map(*message, [&id] { return std::to_string(++id); });
      if (!mapped) std::abort();
      resources = mapped->resources;
      if (r == 0 && i == 0) bytes = hearth::fhir::write_json(mapped->bundle).size();
    }
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  const double per_second = iterations / best;
  std::printf(
      "%-28s %9.0f messages/s  %9.0f resources/s  (%zu resources, %zu B bundle, %.1f us "
      "per message)\n",
      name, per_second, per_second * static_cast<double>(resources), resources, bytes,
      1e6 / per_second);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  run("ORU^R01, 15 OBX", oru_with_15_obx(), iterations, rounds);
  const std::string adt = read_file(hearth::test::source_dir() +
                                    "/tests/data/corpus/hl7v2/fhir-converter/ADT-A01-01.hl7");
  if (adt.empty()) return 1;
  run("ADT^A01 (FHIR-Converter)", adt, iterations, rounds);
  return 0;
}
