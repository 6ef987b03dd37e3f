// Bearer token validation: a compact JWS (RFC 7515) signed with RS256 or ES256 by a key of the
// configured JWKS (jwks_source.h: a file, or fetched from a URL and refetched for a kid it
// lacks), whose claims (RFC 7519) name the configured issuer and audience and whose
// exp/nbf hold with a skew (60 s by default). Anything else is refused: "none", HS256 and every
// other alg, an alg the selected key cannot do (RS256 with an EC key, a JWK whose "alg" says
// otherwise), a "crit" header, unknown kid, bad signature, malformed parts or claims.
//
// Thread-safety: validate() may be called concurrently; the Jwks and Clock must outlive it.
// Errors: kUnauthorized, with a short reason fit for a client (it never quotes the token or
// its claims' values).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/rest/smart_scopes.h"
#include "core/clock.h"
#include "core/status.h"
#include "server/auth/jwks.h"
#include "server/auth/jwks_source.h"

namespace hearth::server::auth {

struct JwtPolicy {
  std::string issuer;    // "iss" must equal it
  std::string audience;  // "aud" (a string or an array) must contain it
  std::chrono::seconds skew{60};
  // The administrator claim (Grant::admin): the claim `admin_claim` holds `admin_value`. A
  // dotted name walks objects ("realm_access.roles"); the claim may be a string (for "scope":
  // one of its space-separated words, otherwise equal) or an array of strings containing it.
  std::string admin_claim = "scope";
  std::string admin_value = "hearth/admin";
  // --tenant-claim: the claim listing the tenants the bearer may use (TokenClaims::tenants),
  // walked as admin_claim is; an array of strings, or a string of space-separated names. "":
  // not read.
  std::string tenant_claim = {};
};

// What a valid token says about its bearer.
struct TokenClaims {
  std::string subject;          // "sub"
  std::string client_id;        // "client_id" or "azp"
  std::string scope;            // "scope", space-separated (SMART scopes)
  std::int64_t expires_at = 0;  // "exp", seconds since the epoch
  // What the REST core authorises with: the resource scopes of `scope` parsed, the "patient"
  // claim (SMART launch context), the administrator claim.
  api::Grant grant;
  // The tenants JwtPolicy::tenant_claim lists; empty when it is not configured, or the token
  // lacks it (then no tenant is allowed).
  std::vector<std::string> tenants;
};

class JwtValidator {
 public:
  JwtValidator(std::shared_ptr<const Jwks> keys, JwtPolicy policy, const Clock& clock);
  JwtValidator(std::shared_ptr<JwksSource> keys, JwtPolicy policy, const Clock& clock);

  Result<TokenClaims> validate(std::string_view token) const;

  const JwtPolicy& policy() const { return policy_; }
  const Clock& clock() const { return clock_; }
  // Moves when the keys change (JwksSource::generation).
  std::uint64_t key_generation() const { return keys_->generation(); }

 private:
  std::shared_ptr<JwksSource> keys_;
  JwtPolicy policy_;
  const Clock& clock_;
};

}  // namespace hearth::server::auth
