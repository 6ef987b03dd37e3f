// MLLP over TLS (--mllp-tls-listen) against the real binary: `hearth send --tls` with and
// without a client certificate, mutual TLS refusing clients without one (or with one from an
// untrusted CA), the verified certificate subject archived as the sender identity, and the
// tenant read from it (--mllp-cert-tenant).
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "harness.h"
#include "mllp_harness.h"
#include "tls_harness.h"

using namespace hearth::testing;

namespace {

ServerOptions mllp_tls_options(const TestPki& pki, bool mutual) {
  ServerOptions options;
  options.args = {"--mllp-tls-listen",    "127.0.0.1:0", "--tls-cert",
                  pki.path("server.pem"), "--tls-key",   pki.path("server.key")};
  if (mutual) {
    options.args.insert(options.args.end(), {"--mllp-client-ca", pki.path("ca.pem")});
  }
  return options;
}

// `hearth send --tls` of one ORU from `sender`; `extra` adds --cert/--key or replaces --ca.
hearth::testing::CommandResult send_tls(const ServerProcess& server, const TestPki& pki,
                                        const std::string& sender, std::vector<std::string> extra) {
  const std::string file = pki.path(sender + ".hl7");
  std::ofstream(file, std::ios::binary) << hearth::testing::make_oru(sender, "T1");
  std::vector<std::string> args{"send", "--tls", "--port", std::to_string(server.mllp_tls_port())};
  bool has_ca = false;
  for (const auto& arg : extra) has_ca = has_ca || arg == "--ca";
  if (!has_ca) args.insert(args.end(), {"--ca", pki.path("ca.pem")});
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file);
  return hearth::testing::run_hearth(args);
}

// The archive's listing (plain HTTP, /hl7/messages; /hl7/[tenant]/messages) as text.
std::string archive_listing(const ServerProcess& server, const std::string& tenant = {}) {
  HttpResponse list =
      server.client().get("/hl7" + (tenant.empty() ? "" : "/" + tenant) + "/messages?_count=1000");
  REQUIRE(list.status == 200);
  return list.body;
}

}  // namespace

TEST_CASE("mllp tls: mutual TLS archives the client certificate subject as sender identity") {
  TestPki pki;
  ServerProcess server(mllp_tls_options(pki, true));
  REQUIRE(server.mllp_tls_port() != 0);
  CHECK(server.wait_for_log("client certificates required"));
  const std::string sender = unique_name("MTLS");
  auto sent = send_tls(server, pki, sender,
                       {"--cert", pki.path("client.pem"), "--key", pki.path("client.key")});
  CHECK_MESSAGE(sent.exit_code == 0, sent.err);
  CHECK(sent.out.find(" T1 AA\n") != std::string::npos);
  const std::string listing = archive_listing(server);
  const std::size_t at = listing.find("\"sender\": \"" + sender);
  REQUIRE(at != std::string::npos);
  CHECK(listing.find("\"senderIdentity\": \"CN=lab-1,O=Hearth Test Lab\"", at) ==
        listing.find("\"senderIdentity\"", at));

  // The plain MLLP listener still answers; its messages carry no identity.
  const std::string plain_sender = unique_name("PLAIN");
  hearth::testing::MllpClient plain("127.0.0.1", server.mllp_port());
  CHECK(hearth::testing::msa(plain.exchange(hearth::testing::make_oru(plain_sender, "P1")), 1) ==
        "AA");
  const std::string after = archive_listing(server);
  const std::size_t plain_at = after.find("\"sender\": \"" + plain_sender);
  REQUIRE(plain_at != std::string::npos);
  CHECK(after.find("\"senderIdentity\": \"\"", plain_at) ==
        after.find("\"senderIdentity\"", plain_at));
}

TEST_CASE("mllp tls: mutual TLS refuses a client without a certificate or with an unknown CA's") {
  TestPki pki;
  ServerProcess server(mllp_tls_options(pki, true));
  const std::string sender = unique_name("NOCERT");
  auto without = send_tls(server, pki, sender, {});
  CHECK(without.exit_code == 3);
  CHECK(server.wait_for_log("mllp-tls 127.0.0.1:"));
  CHECK(server.wait_for_log("TLS handshake failed"));
  auto rogue = send_tls(server, pki, unique_name("ROGUE"),
                        {"--cert", pki.path("rogue.pem"), "--key", pki.path("rogue.key")});
  CHECK(rogue.exit_code == 3);
  CHECK(archive_listing(server).find(sender) == std::string::npos);
  CHECK(archive_listing(server).find("ROGUE") == std::string::npos);
}

TEST_CASE("mllp tls: --mllp-cert-tenant puts a connection's messages in its certificate's tenant") {
  TestPki pki;
  ServerOptions options = mllp_tls_options(pki, true);
  options.args.insert(options.args.end(),
                      {"--tenancy", "url", "--mllp-cert-tenant", "CN", "--mllp-tenant", "walk-in"});
  ServerProcess server(options);
  const std::string sender = unique_name("CERTT");
  auto sent = send_tls(server, pki, sender,
                       {"--cert", pki.path("client.pem"), "--key", pki.path("client.key")});
  CHECK_MESSAGE(sent.exit_code == 0, sent.err);
  CHECK(sent.out.find(" T1 AA\n") != std::string::npos);
  // client.pem is CN=lab-1: its tenant has the message, the plain listener's has not.
  CHECK(archive_listing(server, "lab-1").find("\"sender\": \"" + sender) != std::string::npos);
  CHECK(archive_listing(server, "walk-in").find(sender) == std::string::npos);

  const std::string plain_sender = unique_name("WALKIN");
  hearth::testing::MllpClient plain("127.0.0.1", server.mllp_port());
  CHECK(hearth::testing::msa(plain.exchange(hearth::testing::make_oru(plain_sender, "P1")), 1) ==
        "AA");
  CHECK(archive_listing(server, "walk-in").find(plain_sender) != std::string::npos);
  CHECK(archive_listing(server, "lab-1").find(plain_sender) == std::string::npos);
}

TEST_CASE("mllp tls: a certificate whose attribute names no tenant is refused, nothing archived") {
  TestPki pki;
  ServerOptions options = mllp_tls_options(pki, true);
  // client.pem's O is "Hearth Test Lab": spaces, so no tenant name; it has no OU at all.
  for (const std::string attribute : {"O", "OU"}) {
    CAPTURE(attribute);
    ServerOptions with = options;
    with.args.insert(with.args.end(), {"--tenancy", "url", "--mllp-cert-tenant", attribute,
                                       "--mllp-tenant", "walk-in"});
    ServerProcess server(with);
    const std::string sender = unique_name("NOTENANT");
    auto sent = send_tls(server, pki, sender,
                         {"--cert", pki.path("client.pem"), "--key", pki.path("client.key")});
    CHECK(sent.exit_code != 0);
    CHECK(sent.out.find(" AA\n") == std::string::npos);
    CHECK(
        server.wait_for_log("connection closed, client certificate \"CN=lab-1,O=Hearth Test "
                            "Lab\": "));
    CHECK(archive_listing(server, "walk-in").find(sender) == std::string::npos);
  }
}

TEST_CASE("mllp tls: without --mllp-client-ca any client may send; the server is verified") {
  TestPki pki;
  ServerProcess server(mllp_tls_options(pki, false));
  auto sent = send_tls(server, pki, unique_name("ANY"), {});
  CHECK_MESSAGE(sent.exit_code == 0, sent.err);
  CHECK(sent.out.find(" T1 AA\n") != std::string::npos);
  // A client that does not trust the server's CA stops before sending anything.
  auto untrusted =
      send_tls(server, pki, unique_name("UNTRUSTED"), {"--ca", pki.path("rogue-ca.pem")});
  CHECK(untrusted.exit_code == 3);
  CHECK(untrusted.err.find("certificate verify failed") != std::string::npos);
  // Usage errors.
  auto no_ca = hearth::testing::run_hearth(
      {"send", "--tls", "--port", std::to_string(server.mllp_tls_port()), pki.path("x.hl7")});
  CHECK(no_ca.exit_code == 2);
  CHECK(no_ca.err.find("--ca") != std::string::npos);
}

TEST_CASE("mllp tls: --mllp-client-ca without --mllp-tls-listen is refused") {
  TestPki pki;
  auto result = hearth::testing::run_hearth(
      {"serve", "--store", "sqlite::memory:", "--mllp-client-ca", pki.path("ca.pem")});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--mllp-tls-listen") != std::string::npos);
}
