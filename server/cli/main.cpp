// The `hearth` executable: everything lives in the subcommands (server/cli.h).
#include "server/cli/cli.h"

int main(int argc, char** argv) {
  return hearth::server::run_cli(argc, argv);
}
