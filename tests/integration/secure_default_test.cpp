// The secure default: `hearth serve` refuses listeners beyond loopback that do not authenticate
// their clients, naming each one and the ways out, unless --insecure-no-auth is given.
#include <doctest/doctest.h>

#include "harness.h"
#include "tls_harness.h"

using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;

TEST_CASE("secure default: an unauthenticated HTTP listener beyond loopback is refused") {
  auto refused = hearth::testing::run_hearth(
      {"serve", "--store", "sqlite::memory:", "--listen", "0.0.0.0:0", "--mllp-listen", "off"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("refusing to serve without authentication") != std::string::npos);
  CHECK(refused.err.find("--listen 0.0.0.0:") != std::string::npos);
  CHECK(refused.err.find("--insecure-no-auth") != std::string::npos);
  CHECK(refused.err.find("listening on") == std::string::npos);
  // From the environment too.
  auto from_env =
      hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:"},
                                  {{"HEARTH_LISTEN", "0.0.0.0:0"}, {"HEARTH_MLLP_LISTEN", "off"}});
  CHECK(from_env.exit_code == 2);
}

TEST_CASE("secure default: plain MLLP beyond loopback is refused; loopback is served") {
  auto refused = hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--listen",
                                              "127.0.0.1:0", "--mllp-listen", "0.0.0.0:0"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--mllp-listen 0.0.0.0:") != std::string::npos);
  CHECK(refused.err.find("--listen 127.0.0.1") == std::string::npos);
  ServerProcess loopback;  // the harness binds 127.0.0.1 without any flag of this kind
  CHECK(loopback.client().get("metadata").status == 200);
}

TEST_CASE("secure default: --insecure-no-auth serves beyond loopback, with a warning") {
  ServerOptions options;
  options.args = {"--listen", "0.0.0.0:0", "--insecure-no-auth"};
  ServerProcess server(options);
  CHECK(server.client().get("metadata").status == 200);
  CHECK(server.wait_for_log("warning: --listen 0.0.0.0:"));
}

TEST_CASE("secure default: MLLP/TLS with client certificates counts as authenticated") {
  hearth::testing::TestPki pki;
  auto without_ca = hearth::testing::run_hearth(
      {"serve", "--store", "sqlite::memory:", "--listen", "127.0.0.1:0", "--mllp-listen", "off",
       "--mllp-tls-listen", "0.0.0.0:0", "--tls-cert", pki.path("server.pem"), "--tls-key",
       pki.path("server.key")});
  CHECK(without_ca.exit_code == 2);
  CHECK(without_ca.err.find("--mllp-tls-listen 0.0.0.0:") != std::string::npos);
  ServerOptions options;
  options.args = {"--mllp-tls-listen",    "0.0.0.0:0",       "--tls-cert",
                  pki.path("server.pem"), "--tls-key",       pki.path("server.key"),
                  "--mllp-client-ca",     pki.path("ca.pem")};
  ServerProcess server(options);
  CHECK(server.mllp_tls_port() != 0);
}
