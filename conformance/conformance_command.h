// `hearth conformance run`: runs TestScript files (directories recursively: every *.json/*.xml
// whose resourceType is TestScript; other files there are fixtures) against --server, prints a
// progress line per test and a summary, writes one TestReport per script to --out, and with
// --format junit writes JUnit XML (to --out/junit.xml, or to stdout with progress on stderr).
//
// Exit codes: 0 when every script passed, 1 when one failed (or a server could not be reached),
// 2 for bad usage (bad --server URL, a --var without '=', no scripts, an unwritable --out).
//
// `hearth conformance capability --server URL [--out FILE] [--run]`: fetches GET [base]/metadata,
// generates the smoke TestScript (capability_suite.h), lists what it could not probe and why,
// writes the script to --out (stdout when neither --out nor --run is given) and with --run runs
// it like `run` does. Exit codes: 0 when generated (and, with --run, passed); 1 when the server
// cannot be reached or its CapabilityStatement is unusable, or the run failed; 2 for bad usage.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "conformance/http_transport.h"

namespace CLI {
class App;
}

namespace hearth::conformance {

struct CommandOptions {
  std::string server;
  std::string token;
  std::vector<std::string> vars;  // NAME=VALUE
  std::string out_dir;
  std::string format = "text";  // text | junit
  double timeout_seconds = 30;
  std::vector<std::string> paths;
  std::vector<std::string> fixture_roots;  // --allow-fixture-path (repeatable)
  // `conformance capability`: generate the smoke suite of --server's CapabilityStatement
  // (capability_suite.h), write it to `suite_out` (stdout when empty and not `run_suite`) and/or
  // run it at once.
  bool capability = false;
  std::string suite_out;
  bool run_suite = false;
};

// Adds `conformance` (with its `run` and `capability` subcommands) to `app`; returns the
// `conformance` command, whose parsed() says whether it was chosen.
CLI::App* add_conformance_command(CLI::App& app, CommandOptions& options);

// Runs the command with the Beast transport.
int run_conformance_command(const CommandOptions& options, std::ostream& out, std::ostream& err);
// The same with any transport (tests use a scripted one).
int run_conformance(const CommandOptions& options, HttpTransport& transport, std::ostream& out,
                    std::ostream& err);

}  // namespace hearth::conformance
