// The official package's JSON files as the corpus-wide tests read them, in one sorted list.
// HEARTH_TEST_EXAMPLE_STRIDE=n takes every nth file: the sanitizer run sets it, because ASan makes
// each file about ten times slower and the Release run has already read every file.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_paths.h"

namespace hearth::fhir::testing {

inline int example_stride() {
  const char* text = std::getenv("HEARTH_TEST_EXAMPLE_STRIDE");
  const int n = text == nullptr ? 1 : std::atoi(text);
  return n < 1 ? 1 : n;
}

// Every "*.json" of the package but package.json and dot files, sorted by name, every stride-th.
inline std::vector<std::filesystem::path> official_example_files() {
  std::vector<std::filesystem::path> all;
  for (const auto& e : std::filesystem::directory_iterator(hearth::test::fhir_package_dir())) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".json" && !name.starts_with(".") && name != "package.json") {
      all.push_back(e.path());
    }
  }
  std::sort(all.begin(), all.end());
  const auto stride = static_cast<std::size_t>(example_stride());
  std::vector<std::filesystem::path> out;
  for (std::size_t i = 0; i < all.size(); i += stride) out.push_back(all[i]);
  return out;
}

// The whole text of `path`.
inline std::string read_example(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A count the full package must exceed, for the sampled run: nine tenths of its share, since a
// sample of every nth file holds only about 1/n of each kind.
inline int at_least(int full_minimum) {
  const int stride = example_stride();
  return stride == 1 ? full_minimum : full_minimum * 9 / (10 * stride);
}

}  // namespace hearth::fhir::testing
