// --jwks-url against the real binary and a loopback key server (jwks_server.h): keys fetched
// at start, a key added by the provider accepted on its first token, a withdrawn key refused
// even for a token the cache held, unknown kids refetched at most once per 10 s; HTTPS verified
// against the trusted CAs (SSL_CERT_FILE) and refused with an untrusted one; http:// beyond
// 127.0.0.1 refused at start.
#include <doctest/doctest.h>

#include "jwks_server.h"
#include "jwt_harness.h"
#include "tls_harness.h"

using hearth::testing::bearer_for;
using hearth::testing::jwks_of;
using hearth::testing::JwksServer;
using hearth::testing::kJwtAudience;
using hearth::testing::kJwtIssuer;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using hearth::testing::TestPki;
using hearth::testing::TestSigningKey;

namespace {

ServerOptions url_options(const std::string& url) {
  ServerOptions options;
  options.args = {"--auth",   "jwt",      "--jwks-url", url,
                  "--issuer", kJwtIssuer, "--audience", kJwtAudience};
  return options;
}

constexpr const char* kScope = "user/*.cruds";

}  // namespace

TEST_CASE("jwks url: fetched at start, rotated keys followed, unknown kids rate limited") {
  const TestSigningKey k1 = TestSigningKey::rsa("k1");
  const TestSigningKey k2 = TestSigningKey::p256("k2");
  const TestSigningKey k3 = TestSigningKey::rsa("k3");
  JwksServer keys(jwks_of({k1.jwk()}));
  ServerProcess server(url_options(keys.url()));
  CHECK(keys.served() == 1);
  auto client = server.client();
  const auto old_token = bearer_for(k1, kScope);
  CHECK(client.get("Patient", old_token).status == 200);
  CHECK(client.get("Patient", old_token).status == 200);  // cached: no fetch
  CHECK(keys.served() == 1);

  // The provider rotates: k2 in, k1 withdrawn. The first k2 token makes Hearth refetch.
  keys.set(jwks_of({k2.jwk()}));
  CHECK(client.get("Patient", bearer_for(k2, kScope)).status == 200);
  CHECK(keys.served() == 2);
  // k1's token was cached, but the keys changed: it is checked again and refused.
  auto withdrawn = client.get("Patient", old_token);
  CHECK(withdrawn.status == 401);
  CHECK(withdrawn.body.find("no key for the token's kid") != std::string::npos);

  // k3 arrives within 10 s of the last refetch for an unknown kid: no fetch, refused.
  keys.set(jwks_of({k2.jwk(), k3.jwk()}));
  for (int i = 0; i < 5; ++i) CHECK(client.get("Patient", bearer_for(k3, kScope)).status == 401);
  CHECK(keys.served() == 2);
}

TEST_CASE("jwks url: https verified against the trusted CAs; an untrusted server stops start") {
  TestPki pki;
  const TestSigningKey k1 = TestSigningKey::p256("k1");
  JwksServer keys(jwks_of({k1.jwk()}), pki.path("server.pem"), pki.path("server.key"));
  ServerOptions options = url_options(keys.url());
  options.env = {{"SSL_CERT_FILE", pki.path("ca.pem")}};
  {
    ServerProcess server(options);
    CHECK(server.client().get("Patient", bearer_for(k1, kScope)).status == 200);
    CHECK(keys.served() == 1);
  }
  auto untrusted =
      hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--listen", "127.0.0.1:0",
                                   "--mllp-listen", "off", "--auth", "jwt", "--jwks-url",
                                   keys.url(), "--issuer", kJwtIssuer, "--audience", kJwtAudience},
                                  {{"SSL_CERT_FILE", pki.path("rogue-ca.pem")}});
  CHECK(untrusted.exit_code == 1);
  CHECK(untrusted.err.find("TLS handshake") != std::string::npos);
  CHECK(untrusted.err.find(keys.url()) != std::string::npos);
}

TEST_CASE("jwks url: clear-text http beyond 127.0.0.1 and both key sources are refused") {
  for (const char* url : {"http://localhost:9/jwks.json", "http://idp.example.org/jwks.json"}) {
    auto refused = hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--auth",
                                                "jwt", "--jwks-url", url, "--issuer", kJwtIssuer,
                                                "--audience", kJwtAudience});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("https://") != std::string::npos);
  }
  auto both = hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--auth", "jwt",
                                           "--jwks-url", "https://idp.example.org/jwks.json",
                                           "--jwks-file", "/dev/null", "--issuer", kJwtIssuer,
                                           "--audience", kJwtAudience});
  CHECK(both.exit_code == 2);
  CHECK(both.err.find("one of --jwks-file FILE and --jwks-url URL") != std::string::npos);
}
