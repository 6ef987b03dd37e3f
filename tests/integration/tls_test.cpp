// HTTPS (--tls-listen) against the real binary with a PKI made at test time: the same REST
// behaviour as plain HTTP, the plain listener still open, the TLS settings as a client sees
// them (`openssl s_client`), and certificate reload on SIGHUP without dropping connections.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "harness.h"
#include "tls_harness.h"

using namespace std::chrono_literals;
using hearth::testing::HttpResponse;
using hearth::testing::HttpsClient;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using hearth::testing::TestPki;

namespace {

ServerOptions https_options(const TestPki& pki) {
  ServerOptions options;
  options.args = {"--tls-listen",         "127.0.0.1:0", "--tls-cert",
                  pki.path("server.pem"), "--tls-key",   pki.path("server.key")};
  return options;
}

// `openssl s_client` with extra arguments against 127.0.0.1:port: true when the handshake
// succeeded (s_client exits 0 after a handshake when its input ends).
bool s_client_handshakes(const TestPki& pki, std::uint16_t port, const std::string& extra) {
  const std::string command = "openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                              " -CAfile '" + pki.path("ca.pem") + "' -verify_return_error " +
                              extra + " </dev/null >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("https: the REST API over TLS, links say https; the plain listener stays open") {
  TestPki pki;
  ServerProcess server(https_options(pki));
  REQUIRE(server.tls_port() != 0);
  CHECK(server.tls_port() != server.port());
  HttpsClient client(server.tls_port(), pki.path("ca.pem"));
  HttpResponse metadata = client.get("metadata");
  CHECK(metadata.status == 200);
  CHECK(metadata.body.find("CapabilityStatement") != std::string::npos);
  CHECK(client.protocol() == "TLSv1.3");
  HttpResponse created =
      client.request("POST", "Patient", R"({"resourceType":"Patient","active":true})");
  REQUIRE(created.status == 201);
  const std::string https_base =
      "https://127.0.0.1:" + std::to_string(server.tls_port()) + "/fhir/";
  CHECK(created.header("Location").starts_with(https_base + "Patient/"));
  HttpResponse read = client.get(created.header("Location").substr(https_base.size() - 6));
  CHECK(read.status == 200);
  CHECK(read.body.find("\"active\":true") != std::string::npos);
  CHECK(client.connections() == 1);  // keep-alive over TLS
  // Plain HTTP on --listen as before; plain bytes on the TLS port get no HTTP answer.
  CHECK(server.client().get("metadata").status == 200);
  auto raw = hearth::testing::RawConnection("127.0.0.1", server.tls_port(), 3s);
  raw.send("GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(raw.read_response().status == 0);
  CHECK(server.wait_for_log("TLS handshake failed"));
}

TEST_CASE("https: TLS 1.2 with an ECDHE AEAD suite is accepted; CBC suites and TLS 1.1 are not") {
  TestPki pki;
  ServerProcess server(https_options(pki));
  CHECK(s_client_handshakes(pki, server.tls_port(), "-tls1_3"));
  CHECK(
      s_client_handshakes(pki, server.tls_port(), "-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256"));
  // Both suites below are ones the client offers and the certificate could serve: only the
  // server's list refuses them.
  CHECK_FALSE(
      s_client_handshakes(pki, server.tls_port(), "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA"));
  CHECK_FALSE(
      s_client_handshakes(pki, server.tls_port(), "-tls1_2 -cipher ECDHE-ECDSA-AES256-SHA384"));
  CHECK_FALSE(s_client_handshakes(pki, server.tls_port(),
                                  "-tls1_1 -cipher 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'"));
}

TEST_CASE("https: SIGHUP reloads the certificate; open connections keep going") {
  TestPki pki;
  ServerProcess server(https_options(pki));
  HttpsClient before(server.tls_port(), pki.path("ca.pem"));
  REQUIRE(before.get("metadata").status == 200);
  CHECK(before.server_subject().find("CN=localhost") != std::string::npos);

  pki.reissue_server("hearth-reloaded");
  server.signal(SIGHUP);
  REQUIRE(server.wait_for_log("TLS certificates reloaded"));
  CHECK(before.get("metadata").status == 200);  // the same connection, its old context
  CHECK(before.connections() == 1);
  HttpsClient after(server.tls_port(), pki.path("ca.pem"));
  CHECK(after.get("metadata").status == 200);
  CHECK(after.server_subject().find("CN=hearth-reloaded") != std::string::npos);

  // A reload that fails (a key that does not match) keeps the current certificate.
  std::ofstream(pki.path("server.key"), std::ios::trunc) << "not a key\n";
  server.signal(SIGHUP);
  REQUIRE(server.wait_for_log("NOT reloaded"));
  HttpsClient still(server.tls_port(), pki.path("ca.pem"));
  CHECK(still.get("metadata").status == 200);
  CHECK(still.server_subject().find("CN=hearth-reloaded") != std::string::npos);
  CHECK(server.running());
}

TEST_CASE("https: bad TLS flags are refused at start with the flag's name") {
  TestPki pki;
  auto no_listener =
      hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--tls-cert",
                                   pki.path("server.pem"), "--tls-key", pki.path("server.key")});
  CHECK(no_listener.exit_code == 2);
  CHECK(no_listener.err.find("--tls-listen") != std::string::npos);
  auto no_key = hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--tls-listen",
                                             "127.0.0.1:0", "--tls-cert", pki.path("server.pem")});
  CHECK(no_key.exit_code == 2);
  CHECK(no_key.err.find("--tls-key") != std::string::npos);
  auto mismatched = hearth::testing::run_hearth(
      {"serve", "--store", "sqlite::memory:", "--listen", "127.0.0.1:0", "--mllp-listen", "off",
       "--tls-listen", "127.0.0.1:0", "--tls-cert", pki.path("server.pem"), "--tls-key",
       pki.path("client.key")});
  CHECK(mismatched.exit_code == 1);
  CHECK(mismatched.err.find("--tls-key") != std::string::npos);
  CHECK(mismatched.err.find("mismatch") != std::string::npos);
  auto missing = hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--listen",
                                              "127.0.0.1:0", "--mllp-listen", "off", "--tls-listen",
                                              "127.0.0.1:0", "--tls-cert", pki.path("nothing.pem"),
                                              "--tls-key", pki.path("server.key")});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("--tls-cert") != std::string::npos);
}
