// The `conformance` command line: run and capability parse into CommandOptions; a repeated
// --var takes one value each, so the paths after it stay paths.
#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include "conformance/conformance_command.h"

namespace hearth::conformance {
namespace {

TEST_CASE("--var takes one NAME=VALUE per occurrence; the paths after it stay paths") {
  CLI::App app("hearth");
  CommandOptions options;
  add_conformance_command(app, options);
  app.parse("conformance run --server http://h/fhir --var A=1 --var B=2 a.json dir", false);
  CHECK(options.vars == std::vector<std::string>{"A=1", "B=2"});
  CHECK(options.paths == std::vector<std::string>{"a.json", "dir"});
  CHECK_FALSE(options.capability);
}

TEST_CASE("conformance capability takes --server, --out and --run") {
  CLI::App app("hearth");
  CommandOptions options;
  add_conformance_command(app, options);
  app.parse("conformance capability --server http://h/fhir --out smoke.json --run", false);
  CHECK(options.capability);
  CHECK(options.server == "http://h/fhir");
  CHECK(options.suite_out == "smoke.json");
  CHECK(options.run_suite);
}

}  // namespace
}  // namespace hearth::conformance
