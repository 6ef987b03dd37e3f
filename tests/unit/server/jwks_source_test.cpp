// server/auth: the --jwks-url rules with a fake fetch and a fixed clock: the URL forms accepted
// (https, and http for 127.0.0.1 alone), a kid the set lacks refetched at most once per
// interval, keys older than max_age refetched, a failed refetch keeping the keys, and the token
// cache dropped when the keys rotate.
#include "server/auth/jwks_source.h"

#include <doctest/doctest.h>

#include <atomic>

#include "jwt_test_keys.h"
#include "server/auth/bearer_auth.h"
#include "server/auth/jwks_fetch.h"
#include "server/auth/jwt_validator.h"

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

// What the fake provider serves; each fetch counted.
struct FakeProvider {
  std::string jwks;
  bool down = false;
  int served = 0;
  JwksFetch fetch() {
    return [this]() -> Result<std::string> {
      if (down) return Status(Code::kUnavailable, "JWKS https://idp/keys: cannot connect");
      ++served;
      return jwks;
    };
  }
};

struct Fixture {
  TestSigningKey k1 = TestSigningKey::rsa("k1");
  TestSigningKey k2 = TestSigningKey::p256("k2");
  FixedClock clock;
  FakeProvider provider{jwks_of({k1.jwk()})};
  std::vector<std::string> logged;
  std::shared_ptr<JwksSource> source = make();
  JwtValidator validator{source, JwtPolicy{kIss, kAud}, clock};

  std::shared_ptr<JwksSource> make() {
    auto made = JwksSource::fetched(provider.fetch(), clock, JwksRefresh{},
                                    [this](std::string_view line) { logged.emplace_back(line); });
    REQUIRE_MESSAGE(made.is_ok(), made.status().message());
    return std::move(made).value();
  }
  std::string token(const TestSigningKey& key) const {
    return key.token(key.header(), claims_json(kIss, kAud, clock.seconds.load() + 3000));
  }
};

TEST_CASE("jwks url: https anywhere, http for 127.0.0.1 only") {
  auto https = parse_jwks_url("https://idp.example.org/realms/c/protocol/openid-connect/certs");
  REQUIRE(https.is_ok());
  CHECK(https->tls);
  CHECK(https->host == "idp.example.org");
  CHECK(https->port == "443");
  CHECK(https->target == "/realms/c/protocol/openid-connect/certs");
  auto loopback = parse_jwks_url("http://127.0.0.1:8081/jwks.json");
  REQUIRE(loopback.is_ok());
  CHECK_FALSE(loopback->tls);
  CHECK(loopback->port == "8081");
  for (const char* refused :
       {"http://idp.example.org/keys", "http://localhost:8081/keys", "http://[::1]:8081/keys",
        "http://10.0.0.1/keys", "ftp://idp.example.org/keys", "idp.example.org/keys", ""}) {
    CAPTURE(refused);
    auto parsed = parse_jwks_url(refused);
    REQUIRE_FALSE(parsed.is_ok());
    CHECK(parsed.status().code() == Code::kInvalidArgument);
  }
}

TEST_CASE("jwks url: nothing listening is kUnavailable naming the URL, within the timeout") {
  auto url = parse_jwks_url("http://127.0.0.1:1/jwks.json");
  REQUIRE(url.is_ok());
  auto fetched = fetch_jwks(*url, std::chrono::milliseconds(2000));
  REQUIRE_FALSE(fetched.is_ok());
  CHECK(fetched.status().code() == Code::kUnavailable);
  CHECK(fetched.status().message().find("http://127.0.0.1:1/jwks.json") != std::string::npos);
}

TEST_CASE("jwks source: the first fetch must succeed and parse") {
  FixedClock clock;
  FakeProvider down{"", true};
  auto failed = JwksSource::fetched(down.fetch(), clock, JwksRefresh{}, nullptr);
  REQUIRE_FALSE(failed.is_ok());
  CHECK(failed.status().code() == Code::kUnavailable);
  FakeProvider junk{R"({"keys":"no"})"};
  auto bad = JwksSource::fetched(junk.fetch(), clock, JwksRefresh{}, nullptr);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().code() == Code::kInvalidArgument);
}

TEST_CASE("jwks source: an unknown kid refetches once per interval; a rotated key is used") {
  Fixture f;
  CHECK(f.source->fetches() == 1);
  CHECK(f.validator.validate(f.token(f.k1)).is_ok());
  CHECK(f.source->fetches() == 1);  // a known kid costs no fetch

  // The provider adds k2: the first k2 token refetches and passes.
  f.provider.jwks = jwks_of({f.k1.jwk(), f.k2.jwk()});
  const std::uint64_t before = f.source->generation();
  auto claims = f.validator.validate(f.token(f.k2));
  CHECK_MESSAGE(claims.is_ok(), claims.status().message());
  CHECK(f.source->fetches() == 2);
  CHECK(f.source->generation() == before + 1);

  // A made-up kid: refused, and within 10 s of the last unknown-kid refetch no new fetch.
  const TestSigningKey stranger = TestSigningKey::rsa("k9");
  for (int i = 0; i < 5; ++i) {
    auto refused = f.validator.validate(f.token(stranger));
    REQUIRE_FALSE(refused.is_ok());
    CHECK(refused.status().message() == "no key for the token's kid");
  }
  CHECK(f.source->fetches() == 2);
  f.clock.seconds += 10;
  CHECK_FALSE(f.validator.validate(f.token(stranger)).is_ok());
  CHECK(f.source->fetches() == 3);
  CHECK(f.source->generation() == before + 1);  // the same text: no new generation
}

TEST_CASE("jwks source: keys older than max_age are refetched; a withdrawn key stops verifying") {
  Fixture f;
  CHECK(f.validator.validate(f.token(f.k1)).is_ok());
  f.provider.jwks = jwks_of({f.k2.jwk()});  // k1 withdrawn
  f.clock.seconds += 3599;
  CHECK(f.validator.validate(f.token(f.k1)).is_ok());
  CHECK(f.source->fetches() == 1);
  f.clock.seconds += 1;
  CHECK_FALSE(f.validator.validate(f.token(f.k1)).is_ok());
  // The hourly refetch, then one for the kid it no longer has (the first in 10 s).
  CHECK(f.source->fetches() == 3);
  CHECK(f.validator.validate(f.token(f.k2)).is_ok());
}

TEST_CASE("jwks source: a failed refetch keeps the keys, is logged and retried later") {
  Fixture f;
  f.provider.down = true;
  f.clock.seconds += 3600;
  CHECK(f.validator.validate(f.token(f.k1)).is_ok());
  CHECK(f.source->fetches() == 2);
  REQUIRE(f.logged.size() == 1);
  CHECK(f.logged[0].find("keeping the keys") != std::string::npos);
  CHECK(f.validator.validate(f.token(f.k1)).is_ok());
  CHECK(f.source->fetches() == 2);  // not on every request: after a tenth of max_age
  f.clock.seconds += 360;
  CHECK(f.validator.validate(f.token(f.k1)).is_ok());
  CHECK(f.source->fetches() == 3);
}

TEST_CASE("bearer cache: tokens cached under old keys are checked again after a rotation") {
  Fixture f;
  BearerAuth bearer(f.validator);
  const std::string old_token = f.token(f.k1);
  REQUIRE(bearer.authenticate("Bearer " + old_token).is_ok());
  CHECK(bearer.cached() == 1);
  // Rotation: k1 withdrawn, k2 added; a k2 token triggers the refetch.
  f.provider.jwks = jwks_of({f.k2.jwk()});
  REQUIRE(bearer.authenticate("Bearer " + f.token(f.k2)).is_ok());
  auto again = bearer.authenticate("Bearer " + old_token);
  REQUIRE_FALSE(again.is_ok());
  CHECK(again.status().message() == "no key for the token's kid");
}

}  // namespace
}  // namespace hearth::server::auth
