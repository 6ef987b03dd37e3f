// The HL7 v2 corpus the to_fhir tests read (tests/data/corpus/hl7v2): its files' bytes, and
// every file of one kind in it.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "tests/test_paths.h"

namespace hearth::hl7::to_fhir::testing {

inline std::filesystem::path corpus_dir() {
  return std::filesystem::path(hearth::test::source_dir()) / "tests/data/corpus/hl7v2";
}

// The file's bytes ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// `text` with its segments ended by CR, whatever the file used (the corpus has LF and CRLF
// files), and no empty ones.
inline std::string cr_segments(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != '\r' && c != '\n') {
      out += c;
    } else if (!out.empty() && out.back() != '\r') {
      out += '\r';
    }
  }
  return out;
}

// Every corpus file whose name ends with `suffix` (".hl7", ".expected.json").
inline std::vector<std::filesystem::path> corpus_files(std::string_view suffix) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus_dir())) {
    const std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(entry.path());
    }
  }
  return out;
}

}  // namespace hearth::hl7::to_fhir::testing
