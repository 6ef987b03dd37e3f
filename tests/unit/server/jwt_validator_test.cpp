// server/auth: JWKS parsing, JWT validation against keys made in the test (RSA 2048 and P-256)
// and the bearer cache: every way a token must be refused, and the ways it must pass.
#include "server/auth/jwt_validator.h"

#include <doctest/doctest.h>

#include <atomic>

#include "jwt_test_keys.h"
#include "server/auth/bearer_auth.h"
#include "server/auth/jwks.h"

namespace hearth::server::auth {
namespace {

using testing::claims_json;
using testing::jwks_of;
using testing::TestSigningKey;

constexpr std::int64_t kNow = 1'800'000'000;  // seconds
constexpr const char* kIss = "https://idp.example.org";
constexpr const char* kAud = "https://fhir.example.org/fhir";

class FixedClock final : public Clock {
 public:
  std::int64_t now_micros() const override { return seconds.load() * 1'000'000; }
  std::atomic<std::int64_t> seconds{kNow};
};

struct Fixture {
  TestSigningKey rsa = TestSigningKey::rsa("rsa-1");
  TestSigningKey ec = TestSigningKey::p256("ec-1");
  FixedClock clock;
  std::shared_ptr<const Jwks> keys = load({rsa.jwk("RS256"), ec.jwk()});
  JwtValidator validator{keys, JwtPolicy{kIss, kAud}, clock};

  static std::shared_ptr<const Jwks> load(const std::vector<std::string>& jwks) {
    auto parsed = Jwks::parse(jwks_of(jwks));
    REQUIRE_MESSAGE(parsed.is_ok(), parsed.status().message());
    return std::make_shared<const Jwks>(std::move(parsed).value());
  }
  std::string good(const TestSigningKey& key, const std::string& extra = "") const {
    return key.token(key.header(), claims_json(kIss, kAud, kNow + 300, extra));
  }
  std::string refusal(const std::string& token) const {
    auto result = validator.validate(token);
    if (result.is_ok()) return "accepted";
    CHECK(result.status().code() == Code::kUnauthorized);
    return result.status().message();
  }
};

TEST_CASE("jwt: RS256 and ES256 tokens from the JWKS are accepted, claims read") {
  Fixture f;
  for (const TestSigningKey* key : {&f.rsa, &f.ec}) {
    auto claims = f.validator.validate(f.good(*key, ",\"patient\":\"p-7\",\"client_id\":\"app\""));
    REQUIRE_MESSAGE(claims.is_ok(), claims.status().message());
    CHECK(claims->subject == "user-1");
    CHECK(claims->scope == "openid user/*.cruds");
    REQUIRE(claims->grant.scopes.size() == 1);  // openid grants no resource
    CHECK(claims->grant.scopes[0].resource_type == "*");
    CHECK(claims->grant.patient == "p-7");
    CHECK(claims->client_id == "app");
    CHECK(claims->expires_at == kNow + 300);
  }
  // "aud" as an array naming us among others.
  const std::string array_aud = "{\"iss\":\"" + std::string(kIss) + "\",\"aud\":[\"other\",\"" +
                                kAud + "\"],\"exp\":" + std::to_string(kNow + 10) + "}";
  CHECK(f.validator.validate(f.ec.token(f.ec.header(), array_aud)).is_ok());
}

TEST_CASE("jwt: exp and nbf hold with 60 s of skew, and no more") {
  Fixture f;
  auto at = [&](long long exp, const std::string& extra = "") {
    return f.refusal(f.rsa.token(f.rsa.header(), claims_json(kIss, kAud, exp, extra)));
  };
  CHECK(at(kNow - 59) == "accepted");  // expired 59 s ago: within the skew
  CHECK(at(kNow - 60) == "token expired");
  CHECK(at(kNow - 3600) == "token expired");
  CHECK(at(kNow + 600, ",\"nbf\":" + std::to_string(kNow + 59)) == "accepted");
  CHECK(at(kNow + 600, ",\"nbf\":" + std::to_string(kNow + 61)) == "token not yet valid (nbf)");
  CHECK(at(kNow + 600, ",\"nbf\":\"soon\"") == "malformed token nbf");
  const std::string no_exp = "{\"iss\":\"" + std::string(kIss) + "\",\"aud\":\"" + kAud + "\"}";
  CHECK(f.refusal(f.rsa.token(f.rsa.header(), no_exp)) == "token has no expiry (exp)");
}

TEST_CASE("jwt: wrong issuer or audience is refused") {
  Fixture f;
  CHECK(f.refusal(
            f.rsa.token(f.rsa.header(), claims_json("https://evil.example", kAud, kNow + 60))) ==
        "token issuer not accepted");
  CHECK(f.refusal(
            f.rsa.token(f.rsa.header(), claims_json(kIss, "https://other.example", kNow + 60))) ==
        "token audience not accepted");
}

TEST_CASE("jwt: none, HS256, unknown algorithms and alg/key mismatches are refused") {
  Fixture f;
  const std::string claims = claims_json(kIss, kAud, kNow + 60);
  const std::string payload = encode_base64url(claims);
  // alg none, with and without a signature part.
  const std::string none = encode_base64url("{\"alg\":\"none\"}") + "." + payload;
  CHECK(f.refusal(none + ".") == "token algorithm not accepted (RS256 or ES256 only)");
  CHECK(f.refusal(none) == "malformed token: not a compact JWS");
  // HS256 "signed" with the RSA key's public JWK text as the secret: the classic confusion.
  const std::string hs = encode_base64url("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}") + "." + payload;
  CHECK(f.refusal(hs + "." + encode_base64url(std::string(32, 'x'))) ==
        "token algorithm not accepted (RS256 or ES256 only)");
  for (const char* alg : {"RS384", "PS256", "ES384", "EdDSA", "rs256", ""}) {
    CAPTURE(alg);
    const std::string header = "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"rsa-1\"}";
    CHECK(f.refusal(f.rsa.token(header, claims)) ==
          "token algorithm not accepted (RS256 or ES256 only)");
  }
  // ES256 claimed for the RSA key, RS256 for the EC key.
  CHECK(f.refusal(f.rsa.token("{\"alg\":\"ES256\",\"kid\":\"rsa-1\"}", claims)) ==
        "token algorithm does not match its key");
  CHECK(f.refusal(f.ec.token("{\"alg\":\"RS256\",\"kid\":\"ec-1\"}", claims)) ==
        "token algorithm does not match its key");
  // A JWK whose "alg" says ES256 cannot verify RS256 even when its type could.
  TestSigningKey other = TestSigningKey::rsa("rsa-2");
  JwtValidator strict(Fixture::load({other.jwk("PS256")}), JwtPolicy{kIss, kAud}, f.clock);
  CHECK_FALSE(strict.validate(other.token(other.header(), claims)).is_ok());
  CHECK(f.refusal(f.rsa.token("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"x\"]}", claims)) ==
        "token header has critical extensions");
}

TEST_CASE("jwt: tampered payloads, foreign keys, unknown kids and malformed tokens are refused") {
  Fixture f;
  for (const TestSigningKey* key : {&f.rsa, &f.ec}) {
    const std::string token = f.good(*key);
    const std::size_t dot = token.find('.');
    const std::size_t dot2 = token.find('.', dot + 1);
    // The payload swapped for one with a later exp, the signature kept.
    const std::string forged = token.substr(0, dot + 1) +
                               encode_base64url(claims_json(kIss, kAud, kNow + 999999)) +
                               token.substr(dot2);
    CHECK(f.refusal(forged) == "token signature invalid");
    // One signature bit flipped.
    std::string signature = *decode_base64url(token.substr(dot2 + 1));
    signature[signature.size() / 2] ^= 0x01;
    CHECK(f.refusal(token.substr(0, dot2 + 1) + encode_base64url(signature)) ==
          "token signature invalid");
  }
  // Signed by a key of the same kid that is not in the JWKS.
  TestSigningKey impostor = TestSigningKey::rsa("rsa-1");
  CHECK(f.refusal(impostor.token(impostor.header(), claims_json(kIss, kAud, kNow + 60))) ==
        "token signature invalid");
  TestSigningKey stranger = TestSigningKey::p256("nobody");
  CHECK(f.refusal(f.good(stranger)) == "no key for the token's kid");
  for (const char* bad : {"", "abc", "a.b", "a.b.c.d", "!!.e30.", "e30.e30.e30"}) {
    CAPTURE(bad);
    CHECK(f.refusal(bad) != "accepted");
  }
  // No kid: the only key of the algorithm's type is used.
  const std::string no_kid = f.ec.token("{\"alg\":\"ES256\"}", claims_json(kIss, kAud, kNow + 60));
  CHECK(f.refusal(no_kid) == "accepted");
}

TEST_CASE("jwks: what is kept, skipped and refused") {
  TestSigningKey rsa = TestSigningKey::rsa("r");
  auto skipped = Jwks::parse(jwks_of({rsa.jwk(), R"({"kty":"oct","k":"c2VjcmV0"})",
                                      R"({"kty":"EC","crv":"P-384","x":"AA","y":"AA"})",
                                      R"({"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"})"}));
  REQUIRE(skipped.is_ok());
  CHECK(skipped->keys().size() == 1);
  CHECK(Jwks::parse(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})").status().code() ==
        Code::kInvalidArgument);
  CHECK_FALSE(Jwks::parse("[]").is_ok());
  CHECK_FALSE(Jwks::parse(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})").is_ok());  // short
  CHECK_FALSE(Jwks::parse(R"({"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]})").is_ok());
  CHECK(Jwks::load_file("/nonexistent/jwks.json").status().message().find("--jwks-file") == 0);
}

TEST_CASE("bearer: header forms, the cache, and expiry of a cached token") {
  Fixture f;
  BearerAuth bearer(f.validator, 4);
  CHECK(bearer.authenticate("").status().code() == Code::kUnauthorized);
  CHECK(bearer.authenticate("Basic dXNlcjpwdw==").status().code() == Code::kUnauthorized);
  CHECK(bearer.authenticate("Bearer ").status().code() == Code::kUnauthorized);
  const std::string token = f.good(f.rsa);
  auto first = bearer.authenticate("Bearer " + token);
  REQUIRE(first.is_ok());
  CHECK(bearer.cached() == 1);
  auto again = bearer.authenticate("bearer " + token);
  REQUIRE(again.is_ok());
  CHECK(again->get() == first->get());  // the cached claims
  CHECK_FALSE(bearer.authenticate("Bearer " + token + "x").is_ok());
  CHECK(bearer.cached() == 1);  // failures are not cached
  for (int i = 0; i < 10; ++i) {
    REQUIRE(bearer.authenticate("Bearer " + f.good(f.ec, ",\"n\":" + std::to_string(i))).is_ok());
  }
  CHECK(bearer.cached() <= 4);
  f.clock.seconds = kNow + 300 + 60;  // past exp + skew: the cached token expires too
  auto later = bearer.authenticate("Bearer " + token);
  CHECK(later.status().message() == "token expired");
  CHECK(bearer_challenge(false, "") == "Bearer realm=\"hearth\"");
  CHECK(bearer_challenge(true, "token \"expired\"") ==
        "Bearer realm=\"hearth\", error=\"invalid_token\", error_description=\"token 'expired'\"");
}

TEST_CASE("jwt: the administrator claim: a word of scope, or a dotted claim's string or array") {
  Fixture f;
  auto admin = [&](const JwtPolicy& policy, const std::string& scope, const std::string& extra) {
    JwtValidator validator{f.keys, policy, f.clock};
    auto claims = validator.validate(
        f.rsa.token(f.rsa.header(), claims_json(kIss, kAud, kNow + 300, extra, scope)));
    REQUIRE_MESSAGE(claims.is_ok(), claims.status().message());
    return claims->grant.admin;
  };
  const JwtPolicy by_scope{kIss, kAud};
  CHECK(admin(by_scope, "openid hearth/admin", ""));
  CHECK(admin(by_scope, "hearth/admin", ""));
  CHECK_FALSE(admin(by_scope, "openid hearth/administrator", ""));
  CHECK_FALSE(admin(by_scope, "system/*.*", ""));
  JwtPolicy by_role{kIss, kAud};
  by_role.admin_claim = "realm_access.roles";
  by_role.admin_value = "hl7-admin";
  CHECK(admin(by_role, "openid", R"(,"realm_access":{"roles":["x","hl7-admin"]})"));
  CHECK(admin(by_role, "openid", R"(,"realm_access":{"roles":"hl7-admin"})"));
  CHECK_FALSE(admin(by_role, "hl7-admin", R"(,"realm_access":{"roles":["hl7"]})"));
  CHECK_FALSE(admin(by_role, "openid", R"(,"realm_access":"hl7-admin")"));
  CHECK_FALSE(admin(by_role, "openid", R"(,"roles":["hl7-admin"])"));
}

TEST_CASE("jwt: the tenant claim: an array or a space-separated string; absent: no tenant") {
  Fixture f;
  auto tenants = [&](const std::string& claim, const std::string& extra) {
    JwtPolicy policy{kIss, kAud};
    policy.tenant_claim = claim;
    JwtValidator validator{f.keys, policy, f.clock};
    auto claims = validator.validate(
        f.rsa.token(f.rsa.header(), claims_json(kIss, kAud, kNow + 300, extra, "system/*.*")));
    REQUIRE_MESSAGE(claims.is_ok(), claims.status().message());
    return claims->tenants;
  };
  using List = std::vector<std::string>;
  CHECK(tenants("tenants", R"(,"tenants":["a","b.c",7])") == List{"a", "b.c"});
  CHECK(tenants("tenants", R"(,"tenants":" a  b ")") == List{"a", "b"});
  CHECK(tenants("ext.tenants", R"(,"ext":{"tenants":["t1"]})") == List{"t1"});
  CHECK(tenants("tenants", R"(,"tenant":["a"])").empty());
  CHECK(tenants("tenants", R"(,"tenants":{"a":1})").empty());
  CHECK(tenants("", R"(,"tenants":["a"])").empty());  // not configured: not read
}

}  // namespace
}  // namespace hearth::server::auth
