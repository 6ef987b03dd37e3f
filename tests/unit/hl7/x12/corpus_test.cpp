// Every file of the public X12 corpus (tests/data/corpus/x12, a copy of the project's shared
// corpus; or $HEARTH_CORPUS_DIR/x12): each must parse (but the one with no ISA) and write back
// byte-identical from its segment and element tables; its transaction count must match
// INDEX.tsv; files with known errors (the table below, each read from the file) must yield those
// findings, and every other file none. Where pyx12 published the acknowledgment it produces, the
// TA1 rejection and each transaction set's accept/reject must agree with it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"
#include "tests/test_paths.h"

namespace fs = std::filesystem;
using namespace hearth::hl7::x12;

namespace {

struct Expected {
  const char* path;  // relative to corpus/x12
  // Findings that must be present, as "LEVEL CODE SEGMENT POSITION" (LEVEL: I interchange,
  // G group, T transaction, S segment, E element; POSITION 0 = not checked).
  std::vector<const char*> findings;
  const char* reason;
};

const char* kSeCount = "T 4 ST 0";
const Expected kExpected[] = {
    {"imsweb-x12-parser/277_5010-x12_277_x212.x12", {"I 001 IEA 0"}, "IEA02 000000001 vs ISA13"},
    {"imsweb-x12-parser/837_5010-x12_999_accepted.x12", {"I 001 IEA 0"}, "IEA02 differs"},
    {"imsweb-x12-parser/837_5010-x12_ambiguous_loop.x12", {kSeCount}, "SE01 25, 33 segments"},
    {"imsweb-x12-parser/837_5010-x12_bad_first_line.x12",
     {"I 011 ISA 0", kSeCount},
     "ISA02 has 9 characters"},
    {"imsweb-x12-parser/837_5010-x12_bad_segment_identifier.x12",
     {"S 1 ? 4", "S 3 PER 4", "S 1 Nd4 9", "S 1 NM3 18"},
     "segment ids '', 'Nd4', 'NM31'"},
    {"imsweb-x12-parser/837_5010-x12_bad_valid_code.x12",
     {"S 8 NM1 7", "E 7 NM1 7", "S 2 N3 8"},
     "NM1*117 where 2010AA needs NM1*85"},
    {"imsweb-x12-parser/837_5010-x12_complex.x12",
     {kSeCount, "S 3 REF 43"},
     "2330C NM1*DN without its required REF"},
    {"imsweb-x12-parser/837_5010-x12_loop_errors1_exceeds_max_1_parent.x12",
     {"S 4 NM1 13"},
     "two 2010AA loops under one 2000A"},
    {"imsweb-x12-parser/837_5010-x12_loop_errors2_exceeds_max_repeats_multiple_parents.x12",
     {"S 4 NM1 32"},
     "a second 2010AA in the second 2000A"},
    {"imsweb-x12-parser/837_5010-x12_loop_errors3_missing_loops.x12",
     {"S 3 NM1 18"},
     "2000A without 2010AA"},
    {"imsweb-x12-parser/837_5010-x12_many_claims.x12", {kSeCount}, "SE01 wrong"},
    {"imsweb-x12-parser/837_5010-x12_missing_elements.x12",
     {kSeCount},
     "NM102 and CLM05 empty: element rules are not checked yet"},
    {"imsweb-x12-parser/837_5010-x12_missing_required_loop_in_one_repeat.x12",
     {"S 3 NM1 23"},
     "a 2000B without 2010BA"},
    {"imsweb-x12-parser/837_5010-x12_missing_required_loops_mult_repeats.x12",
     {"S 2 SV1 31", "S 3 LX 32"},
     "SV1 without LX"},
    {"imsweb-x12-parser/837_5010-x12_multiple_gs.x12", {"G 19 GS 0"}, "GS06 1 three times"},
    {"imsweb-x12-parser/837_5010-x12_multiple_isa.x12", {kSeCount}, "SE01 wrong"},
    {"imsweb-x12-parser/837_5010-x12_multiple_st.x12",
     {"T 23 ST 0", "G 5 GS 0"},
     "ST02 repeated, GE01 1 for 2 sets"},
    {"imsweb-x12-parser/837_5010-x12_multiple_transactions.x12", {kSeCount}, "SE01 wrong"},
    {"imsweb-x12-parser/837_5010-x12_no_errors.x12", {kSeCount}, "SE01 wrong"},
    {"imsweb-x12-parser/837_5010-x12_segment_errors.x12",
     {"S 3 N3 11", "S 3 HI 22"},
     "2010AA without N3, 2300 without HI"},
    {"imsweb-x12-parser/837_5010-x12_segments_out_of_order.x12",
     {"S 7 N4 10", "S 7 N3 15"},
     "N4 before N3 twice"},
    {"imsweb-x12-parser/837_5010-x12_valid.x12", {kSeCount}, "SE01 wrong"},
    {"imsweb-x12-parser/837_5010-x12_valid_different_separators.x12", {kSeCount}, "SE01 wrong"},
    {"imsweb-x12-parser/837_5010-x12_writer_test.x12", {kSeCount}, "SE01 wrong"},
    {"imsweb-x12-parser/837_5010-x223-test.x12",
     {kSeCount, "S 3 REF 43", "S 5 DTP 47"},
     "2330F without REF, two DTP in an 837I 2400"},
    {"imsweb-x12-parser/x270_271-x270.x12",
     {kSeCount, "T 3 ST 0", "I 001 IEA 0"},
     "4010 sample with inconsistent trailers"},
    {"imsweb-x12-parser/x270_271-x271.x12", {kSeCount, "I 001 IEA 0"}, "inconsistent trailers"},
    {"node-x12/271.edi", {"G 3 GS 0", "I 023 IEA 0"}, "truncated: no GE, no IEA"},
    {"pyx12/834_eol_in_element.x12", {"E 6 N3 12"}, "a line feed inside N301"},
    {"pyx12/837miss.x12", {"T 2 ST 0", "G 3 GS 0", "I 023 IEA 0"}, "ends after ST"},
    {"pyx12/bad_header_looping.x12", {kSeCount}, "SE01 wrong"},
    {"pyx12/ele.x12", {"I 015 ISA 0", "T 7 ST 0", "T 3 ST 0"}, "ISA10 3339, ST02 of 3 chars"},
    {"pyx12/elements.x12", {kSeCount}, "SE01 wrong"},
    {"pyx12/fail_no_IEA.x12", {kSeCount, "I 023 IEA 0"}, "no IEA"},
    {"pyx12/file-trailer_errors.x12",
     {kSeCount, "G 4 GS 0", "I 021 IEA 0", "I 001 IEA 0"},
     "every trailer wrong"},
    {"pyx12/trailer_errors.x12",
     {kSeCount, "G 4 GS 0", "I 021 IEA 0", "I 001 IEA 0"},
     "every trailer wrong"},
    {"stupidedi/004010-X091A1-HP835-case-1-pipe-delimited-isa-not-fixed-width.edi",
     {"I 006 ISA 0"},
     "ISA06 of 30 characters"},
    {"stupidedi/005010-X212-HR277-pass-1.edi", {"I 001 IEA 0"}, "IEA02 differs"},
    {"stupidedi/005010-X217-HI278-pass-admission-request-for-review.edi", {kSeCount}, "SE01 wrong"},
    {"stupidedi/005010-X217-HI278-pass-request-for-home-health-care.edi", {kSeCount}, "SE01 wrong"},
};

fs::path corpus_root() {
  if (const char* env = std::getenv("HEARTH_CORPUS_DIR")) return env;
  return fs::path(hearth::test::source_dir()) / "tests" / "data" / "corpus";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// INDEX.tsv: path -> messages_or_transactions.
std::map<std::string, int> index_counts(const fs::path& root) {
  std::map<std::string, int> counts;
  std::istringstream lines(read_file(root / "INDEX.tsv"));
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() > 5 && cols[0].rfind("x12/", 0) == 0)
      counts[cols[0]] = std::atoi(cols[5].c_str());
  }
  return counts;
}

char level_letter(Level level) {
  switch (level) {
    case Level::kInterchange: return 'I';
    case Level::kGroup: return 'G';
    case Level::kTransaction: return 'T';
    case Level::kSegment: return 'S';
    case Level::kElement: return 'E';
  }
  return '?';
}

bool has(const Document& doc, const std::string& want) {
  std::istringstream in(want);
  std::string level, code, segment;
  unsigned position = 0;
  in >> level >> code >> segment >> position;
  for (const Finding& f : doc.findings()) {
    const std::string id = f.segment_id.empty() ? "?" : f.segment_id;
    if (level_letter(f.level) == level[0] && f.code == code && id == segment &&
        (position == 0 || f.position == position)) {
      return true;
    }
  }
  return false;
}

// The TA1 acknowledgment code and each AK5/IK5 code of an expected pyx12 acknowledgment.
struct PublishedAck {
  char ta1 = 0;
  std::vector<char> sets;
};
PublishedAck read_published(const std::string& text) {
  PublishedAck out;
  auto doc = Document::parse(text);
  if (!doc.is_ok()) return out;
  for (std::size_t i = 0; i < doc->segment_count(); ++i) {
    const std::string_view id = doc->segment_id(i);
    if (id == "TA1" && !doc->element(i, 4).empty()) out.ta1 = doc->element(i, 4)[0];
    if ((id == "AK5" || id == "IK5") && !doc->element(i, 1).empty()) {
      out.sets.push_back(doc->element(i, 1)[0]);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("x12 corpus: every file parses and round-trips; known errors are found where they are") {
  const fs::path root = corpus_root();
  const fs::path dir = root / "x12";
  REQUIRE_MESSAGE(fs::is_directory(dir), "X12 corpus not found at " << dir.string());
  const auto counts = index_counts(root);
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".x12" || ext == ".edi")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 208);
  std::size_t parsed = 0, identical = 0, interchanges = 0, sets = 0, structured = 0, clean = 0,
              with_findings = 0, expected_seen = 0, ack_compared = 0;
  for (const fs::path& file : files) {
    const std::string relative = fs::relative(file, dir).generic_string();
    const std::string text = read_file(file);
    INFO(relative);
    auto doc = Document::parse(text);
    if (relative == "imsweb-x12-parser/837_5010-x12_no_isa_line.x12") {
      REQUIRE(!doc.is_ok());
      CHECK(doc.status().message().find("does not start with an ISA") != std::string::npos);
      continue;
    }
    REQUIRE_MESSAGE(doc.is_ok(), doc.status().message());
    ++parsed;
    interchanges += doc->interchanges().size();
    sets += doc->transaction_count();
    for (const auto& ic : doc->interchanges()) {
      for (const auto& g : ic.groups) {
        for (const auto& t : g.transactions) structured += t.table != nullptr ? 1 : 0;
      }
    }
    auto count = counts.find("x12/" + relative);
    if (count != counts.end()) CHECK(static_cast<int>(doc->transaction_count()) == count->second);
    const bool same = doc->write() == text;
    CHECK_MESSAGE(same, "does not write back byte-identical");
    if (same) ++identical;
    const Expected* expected = nullptr;
    for (const auto& e : kExpected) {
      if (relative == e.path) expected = &e;
    }
    if (expected != nullptr) {
      ++expected_seen;
      ++with_findings;
      for (const char* want : expected->findings) {
        CHECK_MESSAGE(has(*doc, want),
                      "missing finding " << want << " (" << expected->reason << ")");
      }
    } else {
      for (const Finding& f : doc->findings()) {
        FAIL_CHECK("unexpected finding " << level_letter(f.level) << " " << f.code << " at "
                                         << format_location(f) << ": " << f.message);
      }
      if (doc->findings().empty()) ++clean;
    }
    // pyx12's published acknowledgment for this file, when there is one.
    for (const char* suffix : {".expected-997.x12", ".expected-999.x12"}) {
      const fs::path published = file.parent_path() / (file.stem().string() + suffix);
      if (file.string().find(".expected-") != std::string::npos || !fs::exists(published)) continue;
      const PublishedAck theirs = read_published(read_file(published));
      const InterchangeAck ours = acknowledge(*doc, 0);
      if (theirs.ta1 == 'R') {
        CHECK(ours.ta1.has_value());
        CHECK(ours.rejected);
      }
      // Set-level verdicts are compared where the guide has a loop table or the error is in the
      // envelope (pyx12 also checks 4010 element rules, which Hearth does not have).
      if (!ours.rejected && !ours.groups.empty() && theirs.ta1 != 'R') {
        const auto& ours_sets = ours.groups[0].transactions;
        bool comparable = true;
        for (const auto& t : doc->interchanges()[0].groups[0].transactions) {
          comparable = comparable && t.table != nullptr;
        }
        if (comparable && ours_sets.size() == theirs.sets.size()) {
          for (std::size_t i = 0; i < ours_sets.size(); ++i) {
            CHECK_MESSAGE(ours_sets[i].code == theirs.sets[i], "set " << i + 1);
          }
        }
      }
      ++ack_compared;
    }
  }
  CHECK(expected_seen == std::size(kExpected));
  std::printf(
      "x12 corpus: %zu files, %zu parsed (%zu interchanges, %zu transaction sets, %zu checked "
      "against a loop table): %zu round-trip byte-identical, %zu without findings, %zu with the "
      "expected findings, %zu compared with pyx12's acknowledgments\n",
      files.size(), parsed, interchanges, sets, structured, identical, clean, with_findings,
      ack_compared);
  CHECK(identical == parsed);
}
