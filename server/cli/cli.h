// The `hearth` command line: subcommands `serve`, `migrate`, `messages`, `backup`, `restore`,
// `send`, `hl7 parse` and `conformance` (CLI11). Every flag also reads a
// HEARTH_* environment variable; `hearth --help` and `hearth <subcommand> --help` list them.
#pragma once

namespace hearth::server {

// Parses argv and runs the chosen subcommand. Returns the process exit code: 0 success (also
// after a graceful shutdown on SIGTERM/SIGINT), 1 runtime failure (store unavailable, port in
// use), 2 bad usage.
int run_cli(int argc, char** argv);

}  // namespace hearth::server
