// The paths of test_paths.h, from compile definitions given to this file alone.
#include "tests/test_paths.h"

namespace hearth::test {

const std::string& source_dir() {
  static const std::string path = HEARTH_SOURCE_DIR;
  return path;
}

const std::string& fhir_package_dir() {
  static const std::string path = HEARTH_FHIR_PACKAGE_DIR;
  return path;
}

const std::string& hearth_binary() {
  static const std::string path = HEARTH_BINARY;
  return path;
}

}  // namespace hearth::test
