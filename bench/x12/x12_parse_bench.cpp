// X12 parse throughput (one thread, best of N rounds) on a generated 837P (005010X222A1) of
// ~target MB: one interchange, one group, transaction sets of 100 claims each (2 service lines
// per claim), segments followed by a line feed. Measured twice: envelopes only
// (Limits::check_structure = false: tokenizing, ISA/GS/ST control numbers and counts) and the
// full parse with the 837P loop table. Every round must parse without a finding.
//
//   build/bench/x12/x12_parse_bench [target_mb] [rounds]
//   build/bench/x12/x12_parse_bench --generate DIR FILES CLAIMS_PER_FILE
//
// --generate writes FILES interchanges of the same 837P (sets of 100 claims; every claim id and
// ISA13 unique) for an import run (bench/run_x12.sh) and exits.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>

#include "hl7/x12/document.h"

using Clock = std::chrono::steady_clock;

namespace {

// CPU seconds of this thread: on a shared, loaded machine the wall clock also counts the time
// other processes held the cores, so both figures are printed.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string transaction(int set, int claims) {
  std::string c = std::to_string(10000 + set);
  std::string out = "ST*837*" + c + "*005010X222A1~\nBHT*0019*00*" + c +
                    "*20240115*1023*CH~\nNM1*41*2*PREMIER BILLING SERVICE*****46*TGJ23~\n"
                    "PER*IC*JERRY*TE*3055552222~\nNM1*40*2*KEY INSURANCE COMPANY*****46*66783JJT~\n"
                    "HL*1**20*1~\nNM1*85*2*BEN KILDARE SERVICE*****XX*9876543210~\n"
                    "N3*234 SEAWAY ST~\nN4*MIAMI*FL*33111~\nREF*EI*587654321~\n";
  int segments = 10;
  int hl = 2;
  for (int k = 0; k < claims; ++k) {
    const std::string id = std::to_string(set * 1000 + k);
    out +=
        "HL*" + std::to_string(hl++) +
        "*1*22*0~\nSBR*P*18*******CI~\n"
        "NM1*IL*1*SMITH*TED****MI*" +
        id +
        "A~\nN3*236 N MAIN ST~\nN4*MIAMI*FL*33413~\n"
        "DMG*D8*19430501*M~\nNM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666~\n"
        "CLM*" +
        id +
        "*100***11:B:1*Y*A*Y*I~\nREF*D9*17312345600006351~\n"
        "HI*ABK:J0300*ABF:Z1159~\nNM1*82*1*KILDARE*BEN****XX*1234567893~\nPRV*PE*PXC*204C00000X~\n"
        "LX*1~\nSV1*HC:99213*40*UN*1***1~\nDTP*472*D8*20240103~\n"
        "LX*2~\nSV1*HC:87070*60*UN*1***1~\nDTP*472*D8*20240103~\n";
    segments += 18;
  }
  out += "SE*" + std::to_string(segments + 1) + "*" + c + "~\n";
  return out;
}

// One interchange holding `sets` transaction sets of 100 claims from set number `first_set` on.
std::string interchange(int first_set, int sets, int control) {
  std::string body;
  for (int k = 0; k < sets; ++k) body += transaction(first_set + k, 100);
  std::string isa13 = std::to_string(control);
  isa13.insert(0, 9 - isa13.size(), '0');
  return "ISA*00*          *00*          *ZZ*SUBMITTERS.ID  *ZZ*RECEIVERS.ID   *240115*1023*^*"
         "00501*" +
         isa13 + "*0*P*:~\nGS*HC*SENDER*RECEIVER*20240115*1023*1*X*005010X222A1~\n" + body + "GE*" +
         std::to_string(sets) + "*1~\nIEA*1*" + isa13 + "~\n";
}

int generate(const char* dir, int files, int claims_per_file) {
  const int sets = std::max(1, claims_per_file / 100);
  for (int f = 0; f < files; ++f) {
    const std::string path = std::string(dir) + "/claims-" + std::to_string(100000 + f) + ".x12";
    std::ofstream out(path, std::ios::binary);
    out << interchange(f * sets, sets, f + 1);
    if (!out) {
      std::fprintf(stderr, "x12_parse_bench: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::printf("generated %d interchanges of %d claims in %s\n", files, sets * 100, dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--generate") == 0) {
    return generate(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
  }
  const double target_mb = argc > 1 ? std::atof(argv[1]) : 50.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  const auto target = static_cast<std::size_t>(target_mb * 1024 * 1024);
  std::string body;
  int sets = 0;
  while (body.size() < target) body += transaction(sets++, 100);
  const std::string text =
      "ISA*00*          *00*          *ZZ*SUBMITTERS.ID  *ZZ*RECEIVERS.ID   *240115*1023*^*"
      "00501*000000905*0*P*:~\nGS*HC*SENDER*RECEIVER*20240115*1023*1*X*005010X222A1~\n" +
      body + "GE*" + std::to_string(sets) + "*1~\nIEA*1*000000905~\n";
  const double mb = text.size() / 1048576.0;
  const long claims = static_cast<long>(sets) * 100;
  std::printf("x12 parse bench: one 837P interchange, %d transaction sets, %ld claims, %.1f MB\n",
              sets, claims, mb);
  for (bool structure : {false, true}) {
    hearth::hl7::x12::Limits limits;
    limits.check_structure = structure;
    double best = 1e30, best_cpu = 1e30;
    std::size_t segments = 0;
    for (int r = 0; r < rounds; ++r) {
      const auto start = Clock::now();
      const double cpu_start = thread_cpu_seconds();
      auto doc = hearth::hl7::x12::Document::parse(text, limits);
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      best_cpu = std::min(best_cpu, thread_cpu_seconds() - cpu_start);
      if (!doc.is_ok() || !doc->findings().empty()) {
        std::fprintf(stderr, "x12_parse_bench: the generated 837P did not parse cleanly\n");
        return 1;
      }
      segments = doc->segment_count();
      best = std::min(best, seconds);
    }
    std::printf(
        "%s: %.0f MB/s, %.0f claims/s, %.1f M segments/s (%zu segments); per CPU second: %.0f "
        "MB/s, %.0f claims/s\n",
        structure ? "parse + 837P loop structure" : "parse, envelopes only", mb / best,
        claims / best, segments / best / 1e6, segments, mb / best_cpu, claims / best_cpu);
  }
  return 0;
}
