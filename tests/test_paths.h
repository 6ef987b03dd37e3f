// Where the tests find what they read and run: the source tree (corpora, suites, docs), the
// official FHIR package the build fetched, and the `hearth` binary the integration tests start.
//
// The paths are absolute and differ between checkouts, so they are compiled into one object
// (test_paths.cpp) instead of being defined for every test file: every other test object is the
// same in any clone, and the compiler cache reuses it (a clean-clone CI run compiled each test
// file again while the paths were compile definitions).
#pragma once

#include <string>

namespace hearth::test {

// The checkout's root ("/work/hearth"), without a trailing slash.
const std::string& source_dir();
// The official package's folder of resources (hl7.fhir.r4.examples, unpacked by the build).
const std::string& fhir_package_dir();
// The `hearth` binary of this build.
const std::string& hearth_binary();

}  // namespace hearth::test
