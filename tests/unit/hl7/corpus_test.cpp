// Every .hl7 file of the public corpus (tests/data/corpus/hl7v2, a copy of the project's shared
// corpus; or $HEARTH_CORPUS_DIR/hl7v2):
// well-formed files must parse and write back byte-identical, and each segment must rebuild
// from its field table; the files known to be malformed (table below, from INDEX.tsv and their
// content) must be rejected with the expected table 0357 code and location.
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

#include "hl7/v2/batch.h"
#include "tests/test_paths.h"

namespace fs = std::filesystem;
using namespace hearth::hl7;

namespace {

struct ExpectedRejection {
  const char* path;  // relative to the corpus root
  ErrorCode code;
  const char* segment;
  int field;
  const char* reason;
};

const ExpectedRejection kMalformed[] = {
    {"hl7v2/cdc-data-exchange-hl7/ORU_R01-lyme-bad-delimiters.hl7", ErrorCode::kDataTypeError,
     "MSH", 2, "INDEX nonstandard-delimiters: MSH-2 is '&&&&', one character four times"},
    {"hl7v2/linuxforhealth-converter/sample_unix.hl7", ErrorCode::kDataTypeError, "MSH", 2,
     "INDEX malformed-msh2: MSH-2 '^~\\\\&' repeats the escape character"},
    {"hl7v2/linuxforhealth-converter/sample_win.hl7", ErrorCode::kDataTypeError, "MSH", 2,
     "INDEX malformed-msh2: MSH-2 '^~\\\\&' repeats the escape character"},
    {"hl7v2/python-hl7/malformed-batch-no-MSH.hl7", ErrorCode::kSegmentSequenceError, "EVN", 0,
     "INDEX no-MSH: BHS followed by EVN, no MSH"},
    {"hl7v2/python-hl7/malformed-batch-two-BHS.hl7", ErrorCode::kSegmentSequenceError, "BHS", 0,
     "a second BHS inside an open batch"},
    {"hl7v2/python-hl7/malformed-file-segment-before-MSH-2.hl7", ErrorCode::kSegmentSequenceError,
     "EVN", 0, "INDEX no-MSH: FHS followed by EVN"},
    {"hl7v2/python-hl7/malformed-file-segment-before-MSH.hl7", ErrorCode::kSegmentSequenceError,
     "EVN", 0, "INDEX no-MSH: FHS, BHS followed by EVN"},
    {"hl7v2/python-hl7/malformed-file-two-BHS.hl7", ErrorCode::kSegmentSequenceError, "BHS", 0,
     "a second BHS inside an open batch"},
    {"hl7v2/python-hl7/malformed-file-two-FHS.hl7", ErrorCode::kSegmentSequenceError, "FHS", 0,
     "a second FHS inside the file"},
    {"hl7v2/rethinkhealth-hl7v2/invalid-missing-msh.hl7", ErrorCode::kSegmentSequenceError, "PID",
     0, "INDEX no-header-first no-MSH: starts with PID"},
    {"hl7v2/rethinkhealth-hl7v2/invalid-segment-header-length.hl7",
     ErrorCode::kSegmentSequenceError, "PIDX", 0,
     "INDEX suspicious-segments:2: segment ids PIDX and PV"},
    {"hl7v2/rethinkhealth-hl7v2/invalid-wrong-version.hl7", ErrorCode::kUnsupportedVersionId, "MSH",
     12, "INDEX version 1.0: MSH-12 is not an HL7 v2 version"},
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
std::map<std::string, int> index_message_counts(const fs::path& root) {
  std::map<std::string, int> counts;
  std::istringstream lines(read_file(root / "INDEX.tsv"));
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() > 5 && cols[0].rfind("hl7v2/", 0) == 0)
      counts[cols[0]] = std::atoi(cols[5].c_str());
  }
  return counts;
}

// A segment rebuilt from the field table must equal its text.
std::string rebuild(const Message& m, std::size_t index) {
  std::string out(m.segment_id(index));
  const bool header = out == "MSH";
  for (int f = header ? 2 : 1; f <= m.field_count(index); ++f) {
    out += m.delimiters().field;
    out.append(m.field(index, f).raw);
  }
  return out;
}

}  // namespace

TEST_CASE("hl7 corpus: well-formed files round-trip byte-identical, malformed ones are rejected") {
  const fs::path root = corpus_root();
  const fs::path dir = root / "hl7v2";
  INFO("corpus directory: " << dir.string());
  REQUIRE_MESSAGE(fs::is_directory(dir), "HL7 corpus not found at "
                                             << dir.string()
                                             << " (set HEARTH_CORPUS_DIR to the corpus root)");
  const auto counts = index_message_counts(root);
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".hl7")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());

  std::size_t messages = 0, identical = 0, rejected = 0, expected_rejections_seen = 0;
  for (const fs::path& file : files) {
    const std::string relative = fs::relative(file, root).generic_string();
    const std::string text = read_file(file);
    const ExpectedRejection* expected = nullptr;
    for (const auto& m : kMalformed) {
      if (relative == m.path) expected = &m;
    }
    ParseError error;
    auto batch = Batch::parse(text, &error);
    if (expected != nullptr) {
      ++expected_rejections_seen;
      INFO(relative << ": " << expected->reason);
      if (batch.is_ok()) {
        FAIL_CHECK("parsed but should be rejected");
        continue;
      }
      CHECK(static_cast<int>(error.code) == static_cast<int>(expected->code));
      CHECK(error.location.segment_id == expected->segment);
      CHECK(error.location.field == expected->field);
      if (static_cast<int>(error.code) == static_cast<int>(expected->code) &&
          error.location.segment_id == expected->segment) {
        ++rejected;
      }
      continue;
    }
    if (!batch.is_ok()) {
      FAIL_CHECK(relative << " rejected: " << error.message << " at "
                          << format_location(error.location));
      continue;
    }
    messages += batch->message_count();
    auto it = counts.find(relative);
    if (it != counts.end()) {
      CHECK_MESSAGE(static_cast<int>(batch->message_count()) == it->second, relative);
    }
    bool ok = batch->write() == text;
    for (const auto& group : batch->groups()) {
      for (const auto& message : group.messages) {
        for (std::size_t i = 0; i < message.segment_count(); ++i) {
          if (rebuild(message, i) != message.segment_text(i)) {
            ok = false;
            FAIL_CHECK(relative << " segment " << i + 1 << " does not rebuild from its fields");
          }
        }
      }
    }
    CHECK_MESSAGE(ok, relative << " does not write back byte-identical");
    if (ok) ++identical;
  }
  CHECK(expected_rejections_seen == std::size(kMalformed));
  std::printf(
      "hl7 corpus: %zu files, %zu messages: %zu round-trip byte-identical, %zu rejected as "
      "expected\n",
      files.size(), messages, identical, rejected);
  CHECK(identical + rejected == files.size());
}
