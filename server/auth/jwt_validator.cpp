// Header, then key, then signature, then claims: nothing in the payload is believed before the
// signature over it has been checked.
#include "server/auth/jwt_validator.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <vector>

#include "core/base64.h"

namespace hearth::server::auth {
namespace {

Status refused(std::string reason) {
  return Status(Code::kUnauthorized, std::move(reason));
}

std::string string_member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// A NumericDate member: seconds since the epoch (a JSON number; fractions are truncated).
std::optional<std::int64_t> date_member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return std::nullopt;
  if (it->value.IsInt64()) return it->value.GetInt64();
  if (it->value.IsDouble()) return static_cast<std::int64_t>(it->value.GetDouble());
  return std::nullopt;
}

bool parse_object(std::string_view part, std::string& decoded, rapidjson::Document& doc) {
  auto bytes = decode_base64url(part);
  if (!bytes) return false;
  decoded = std::move(*bytes);
  doc.Parse(decoded.data(), decoded.size());
  return !doc.HasParseError() && doc.IsObject();
}

// A JWS ES256 signature is r || s (32 bytes each); OpenSSL verifies DER.
std::optional<std::vector<unsigned char>> ecdsa_der(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  std::optional<std::vector<unsigned char>> out;
  const int size = i2d_ECDSA_SIG(sig, nullptr);
  if (size > 0) {
    out.emplace(static_cast<std::size_t>(size));
    unsigned char* cursor = out->data();
    i2d_ECDSA_SIG(sig, &cursor);
  }
  ECDSA_SIG_free(sig);
  return out;
}

bool verify(const PublicKey& key, std::string_view signing_input, const std::string& signature) {
  std::vector<unsigned char> der;
  const unsigned char* sig = reinterpret_cast<const unsigned char*>(signature.data());
  std::size_t sig_size = signature.size();
  if (key.type == KeyType::kEcP256) {
    auto converted = ecdsa_der(signature);
    if (!converted) return false;
    der = std::move(*converted);
    sig = der.data();
    sig_size = der.size();
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr &&
                  EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr,
                                       static_cast<EVP_PKEY*>(key.key.get())) == 1 &&
                  EVP_DigestVerify(ctx, sig, sig_size,
                                   reinterpret_cast<const unsigned char*>(signing_input.data()),
                                   signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

bool audience_matches(const rapidjson::Value& claims, const std::string& audience) {
  auto it = claims.FindMember("aud");
  if (it == claims.MemberEnd()) return false;
  if (it->value.IsString()) return audience == it->value.GetString();
  if (!it->value.IsArray()) return false;
  for (const auto& entry : it->value.GetArray()) {
    if (entry.IsString() && audience == entry.GetString()) return true;
  }
  return false;
}

// The claim a dotted name leads to ("realm_access.roles"), or null.
const rapidjson::Value* find_claim(const rapidjson::Value& claims, std::string_view path) {
  const rapidjson::Value* at = &claims;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string name(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (!at->IsObject()) return nullptr;
    auto member = at->FindMember(name.c_str());
    if (member == at->MemberEnd()) return nullptr;
    at = &member->value;
  }
  return at;
}

// The words of a claim: a string's space-separated words (`split`) or the string itself, or an
// array's strings.
std::vector<std::string_view> claim_words(const rapidjson::Value* claim, bool split) {
  std::vector<std::string_view> out;
  if (claim == nullptr) return out;
  if (claim->IsString()) {
    const std::string_view text(claim->GetString(), claim->GetStringLength());
    if (!split) return {text};
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t space = std::min(text.find(' ', start), text.size());
      if (space > start) out.push_back(text.substr(start, space - start));
      start = space + 1;
    }
    return out;
  }
  if (!claim->IsArray()) return out;
  for (const rapidjson::Value& item : claim->GetArray()) {
    if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

// JwtPolicy::admin_claim holds admin_value (its comment says how).
bool has_admin_claim(const rapidjson::Value& claims, const JwtPolicy& policy) {
  if (policy.admin_claim.empty() || policy.admin_value.empty()) return false;
  const auto words =
      claim_words(find_claim(claims, policy.admin_claim), policy.admin_claim == "scope");
  return std::find(words.begin(), words.end(), policy.admin_value) != words.end();
}

}  // namespace

JwtValidator::JwtValidator(std::shared_ptr<const Jwks> keys, JwtPolicy policy, const Clock& clock)
    : JwtValidator(JwksSource::fixed(std::move(keys)), std::move(policy), clock) {}

JwtValidator::JwtValidator(std::shared_ptr<JwksSource> keys, JwtPolicy policy, const Clock& clock)
    : keys_(std::move(keys)), policy_(std::move(policy)), clock_(clock) {}

Result<TokenClaims> JwtValidator::validate(std::string_view token) const {
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return refused("malformed token: not a compact JWS");
  }
  std::string header_text, payload_text;
  rapidjson::Document header, claims;
  if (!parse_object(token.substr(0, first), header_text, header)) {
    return refused("malformed token header");
  }
  const std::string alg = string_member(header, "alg");
  KeyType wanted;
  if (alg == "RS256") {
    wanted = KeyType::kRsa;
  } else if (alg == "ES256") {
    wanted = KeyType::kEcP256;
  } else {
    return refused("token algorithm not accepted (RS256 or ES256 only)");
  }
  if (header.HasMember("crit")) return refused("token header has critical extensions");

  // The key: the one named by kid; without a kid, the only key that can do `alg`.
  // A kid the set lacks may be a key the provider has just added: the source refetches (rate
  // limited) and the search runs once more.
  const std::string kid = string_member(header, "kid");
  std::shared_ptr<const Jwks> keys = keys_->keys();
  const PublicKey* key = nullptr;
  int candidates = 0;
  for (int attempt = 0; attempt < 2 && key == nullptr; ++attempt) {
    if (attempt == 1) {
      if (kid.empty()) break;
      keys = keys_->keys_for_unknown_kid();
    }
    for (const PublicKey& k : keys->keys()) {
      if (!kid.empty() ? k.kid != kid : k.type != wanted) continue;
      key = &k;
      ++candidates;
    }
  }
  if (key == nullptr) return refused("no key for the token's kid");
  if (candidates > 1) return refused("token names no kid and several keys could verify it");
  if (key->type != wanted || (!key->alg.empty() && key->alg != alg)) {
    return refused("token algorithm does not match its key");
  }

  auto signature = decode_base64url(token.substr(second + 1));
  if (!signature || !verify(*key, token.substr(0, second), *signature)) {
    return refused("token signature invalid");
  }
  if (!parse_object(token.substr(first + 1, second - first - 1), payload_text, claims)) {
    return refused("malformed token claims");
  }
  if (string_member(claims, "iss") != policy_.issuer) return refused("token issuer not accepted");
  if (!audience_matches(claims, policy_.audience)) return refused("token audience not accepted");
  const std::int64_t now = clock_.now_micros() / 1'000'000;
  const std::int64_t skew = policy_.skew.count();
  const auto exp = date_member(claims, "exp");
  if (!exp) return refused("token has no expiry (exp)");
  if (now >= *exp + skew) return refused("token expired");
  if (claims.HasMember("nbf")) {
    const auto nbf = date_member(claims, "nbf");
    if (!nbf) return refused("malformed token nbf");
    if (now < *nbf - skew) return refused("token not yet valid (nbf)");
  }
  TokenClaims out;
  out.subject = string_member(claims, "sub");
  out.client_id = string_member(claims, "client_id");
  if (out.client_id.empty()) out.client_id = string_member(claims, "azp");
  out.scope = string_member(claims, "scope");
  out.grant.patient = string_member(claims, "patient");
  out.grant.scopes = api::parse_smart_scopes(out.scope);
  out.grant.admin = has_admin_claim(claims, policy_);
  if (!policy_.tenant_claim.empty()) {
    for (std::string_view tenant : claim_words(find_claim(claims, policy_.tenant_claim), true)) {
      out.tenants.emplace_back(tenant);
    }
  }
  out.expires_at = *exp;
  return out;
}

}  // namespace hearth::server::auth
