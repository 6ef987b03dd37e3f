// --auth jwt against the real binary, with keys and tokens made in the test: 401 with a Bearer
// challenge and an OperationOutcome for a missing or invalid token on /fhir and /hl7, the
// documents that say how to get a token served without one, tokens kept out of the log, and a
// bind beyond loopback allowed because clients are authenticated.
#include <doctest/doctest.h>

#include "jwt_harness.h"

using hearth::testing::bearer;
using hearth::testing::HttpResponse;
using hearth::testing::JwksFile;
using hearth::testing::jwt_options;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using hearth::testing::TestSigningKey;

namespace {

constexpr const char* kIss = hearth::testing::kJwtIssuer;
constexpr const char* kAud = hearth::testing::kJwtAudience;

long long now() {
  return hearth::testing::unix_now();
}

}  // namespace

TEST_CASE("jwt auth: no token or a bad one is 401 with a challenge; a valid one is served") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  const TestSigningKey ec = TestSigningKey::p256("k2");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk(), ec.jwk()}));
  ServerProcess server(jwt_options(file));
  auto client = server.client();

  HttpResponse missing = client.get("Patient");
  CHECK(missing.status == 401);
  CHECK(missing.header("WWW-Authenticate") == "Bearer realm=\"hearth\"");
  CHECK(missing.body.find("OperationOutcome") != std::string::npos);
  CHECK(missing.body.find("\"login\"") != std::string::npos);
  CHECK(client.get("/hl7/messages").status == 401);

  const std::string expired =
      rsa.token(rsa.header(), hearth::testing::claims_json(kIss, kAud, now() - 3600));
  HttpResponse old = client.get("Patient", bearer(expired));
  CHECK(old.status == 401);
  CHECK(old.header("WWW-Authenticate").find("error=\"invalid_token\"") != std::string::npos);
  CHECK(old.body.find("token expired") != std::string::npos);
  const std::string foreign_aud =
      ec.token(ec.header(), hearth::testing::claims_json(kIss, "someone-else", now() + 600));
  CHECK(client.get("Patient", bearer(foreign_aud)).status == 401);
  CHECK(client.post("Patient", R"({"resourceType":"Patient"})", bearer("not.a.token")).status ==
        401);

  for (const TestSigningKey* key : {&rsa, &ec}) {
    const std::string token =
        key->token(key->header(), hearth::testing::claims_json(kIss, kAud, now() + 600));
    HttpResponse created =
        client.post("Patient", R"({"resourceType":"Patient","active":true})", bearer(token));
    REQUIRE(created.status == 201);
    CHECK(client.get(created.header("Location"), bearer(token)).status == 200);
    CHECK(client.get("Patient?active=true", bearer(token)).status == 200);
    // The HL7 operating API needs the administrator claim (--admin-claim/--admin-value).
    CHECK(client.get("/hl7/messages", bearer(token)).status == 403);
    CHECK(client.get(created.header("Location")).status == 401);  // each request needs it
    // The token never reaches the log, nor does the Authorization header.
    for (const std::string& line : server.log_lines()) {
      CHECK(line.find(token.substr(token.rfind('.') + 1)) == std::string::npos);
      CHECK(line.find("Bearer") == std::string::npos);
    }
  }
  CHECK(client.connections() == 1);  // 401s keep the connection
}

TEST_CASE("jwt auth: metadata and the SMART configuration need no token and describe it") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk("RS256")}));
  ServerProcess server(jwt_options(file));
  HttpResponse metadata = server.client().get("metadata");
  REQUIRE(metadata.status == 200);
  CHECK(metadata.body.find("\"security\"") != std::string::npos);
  CHECK(metadata.body.find("\"code\":\"SMART-on-FHIR\"") != std::string::npos);
  CHECK(metadata.body.find(
            "\"url\":\"http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris\"") !=
        std::string::npos);
  CHECK(metadata.body.find("\"valueUri\":\"https://idp.example.org/token\"") != std::string::npos);
  HttpResponse smart = server.client().get(".well-known/smart-configuration");
  REQUIRE(smart.status == 200);
  CHECK(smart.header("Content-Type").starts_with("application/json"));
  CHECK(smart.body.find("\"issuer\":\"https://idp.example.org/realms/clinic\"") !=
        std::string::npos);
  CHECK(smart.body.find("\"authorization_endpoint\":\"https://idp.example.org/authorize\"") !=
        std::string::npos);
  CHECK(smart.body.find("\"token_endpoint\":\"https://idp.example.org/token\"") !=
        std::string::npos);
  // Only GET is free: a write to the same path needs a token like any other.
  CHECK(server.client().post(".well-known/smart-configuration", "{}").status == 401);
}

TEST_CASE("jwt auth: scopes decide each interaction; 403 with an OperationOutcome otherwise") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  ServerProcess server(jwt_options(file));
  auto token = [&](const std::string& scope) {
    return bearer(
        rsa.token(rsa.header(), hearth::testing::claims_json(kIss, kAud, now() + 600, "", scope)));
  };
  auto client = server.client();
  HttpResponse created =
      client.post("Patient", R"({"resourceType":"Patient"})", token("user/Patient.c"));
  REQUIRE(created.status == 201);
  const std::string location = created.header("Location");
  const auto reader = token("openid user/Patient.rs");
  CHECK(client.get(location, reader).status == 200);
  CHECK(client.get("Patient?_id=x", reader).status == 200);
  HttpResponse refused = client.post("Patient", R"({"resourceType":"Patient"})", reader);
  CHECK(refused.status == 403);
  CHECK(refused.body.find("\"forbidden\"") != std::string::npos);
  CHECK(refused.body.find("create on Patient") != std::string::npos);
  const std::string instance = location.substr(
      location.find("/fhir/"), location.find("/_history") - location.find("/fhir/"));
  CHECK(client.put(instance, R"({"resourceType":"Patient"})", reader).status == 403);
  CHECK(client.del(instance, reader).status == 403);
  CHECK(client.get("Observation?code=x", reader).status == 403);
  CHECK(client.get(location, token("patient/*.*")).status == 403);  // no patient claim
  const std::string batch =
      R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET",)"
      R"("url":"Patient?_id=x"}}]})";
  // A batch's entries are authorised one by one: this one's search needs s on Patient.
  CHECK(client.post("", batch, token("user/Patient.cruds")).status == 200);
  HttpResponse entry_refused = client.post("", batch, token("user/Patient.c"));
  CHECK(entry_refused.status == 200);
  CHECK(entry_refused.body.find("\"status\":\"403 Forbidden\"") != std::string::npos);
}

TEST_CASE("jwt auth: the HL7 operating API needs the administrator claim, configurable") {
  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  {
    ServerProcess server(jwt_options(file));
    auto client = server.client();
    HttpResponse refused =
        client.get("/hl7/messages", hearth::testing::bearer_for(rsa, "system/*.*"));
    CHECK(refused.status == 403);
    CHECK(refused.body.find("administrator claim") != std::string::npos);
    CHECK(client.get("/hl7/messages", hearth::testing::bearer_for(rsa, "openid hearth/admin"))
              .status == 200);
  }
  ServerOptions roles = jwt_options(file);
  roles.args.insert(roles.args.end(),
                    {"--admin-claim", "realm_access.roles", "--admin-value", "hl7-admin"});
  ServerProcess server(roles);
  auto client = server.client();
  CHECK(client.get("/hl7/messages", hearth::testing::bearer_for(rsa, "hearth/admin")).status ==
        403);
  CHECK(client
            .get("/hl7/messages",
                 hearth::testing::bearer_for(rsa, "openid",
                                             ",\"realm_access\":{\"roles\":[\"x\",\"hl7-admin\"]}"))
            .status == 200);
}

TEST_CASE("jwt auth: without --auth jwt there is no SMART configuration or rest.security") {
  ServerProcess server;
  CHECK(server.client().get(".well-known/smart-configuration").status == 404);
  CHECK(server.client().get("metadata").body.find("\"security\"") == std::string::npos);
}

TEST_CASE("jwt auth: configuration errors; beyond loopback is allowed with jwt") {
  auto incomplete = hearth::testing::run_hearth(
      {"serve", "--store", "sqlite::memory:", "--auth", "jwt", "--issuer", kIss});
  CHECK(incomplete.exit_code == 2);
  CHECK(incomplete.err.find("--jwks-file") != std::string::npos);
  auto stray =
      hearth::testing::run_hearth({"serve", "--store", "sqlite::memory:", "--issuer", kIss});
  CHECK(stray.exit_code == 2);
  JwksFile empty(R"({"keys":[]})");
  auto no_keys = hearth::testing::run_hearth(
      {"serve", "--store", "sqlite::memory:", "--listen", "127.0.0.1:0", "--mllp-listen", "off",
       "--auth", "jwt", "--jwks-file", empty.path(), "--issuer", kIss, "--audience", kAud});
  CHECK(no_keys.exit_code == 1);
  CHECK(no_keys.err.find("no RSA or P-256 signing key") != std::string::npos);

  const TestSigningKey rsa = TestSigningKey::rsa("k1");
  JwksFile file(hearth::testing::jwks_of({rsa.jwk()}));
  ServerOptions options = jwt_options(file);
  options.args.insert(options.args.end(), {"--listen", "0.0.0.0:0", "--mllp-listen", "off"});
  ServerProcess server(options);
  CHECK(server.client().get("Patient").status == 401);
  const std::string token =
      rsa.token(rsa.header(), hearth::testing::claims_json(kIss, kAud, now() + 600));
  CHECK(server.client().get("Patient", bearer(token)).status == 200);
}
