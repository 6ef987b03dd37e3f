// Test-only signing keys made at run time with OpenSSL (nothing committed): an RSA 2048 and an
// EC P-256 key, their public halves as a JWKS, and compact JWS tokens signed with either, so
// tests need no identity provider. Shared by the unit tests and the integration tests.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/base64.h"

namespace hearth::testing {

struct TestSigningKey {
  std::shared_ptr<EVP_PKEY> key;
  bool ec = false;
  std::string kid;

  static TestSigningKey rsa(std::string kid) {
    EVP_PKEY* k = EVP_RSA_gen(2048);
    if (k == nullptr) throw std::runtime_error("EVP_RSA_gen failed");
    return TestSigningKey{std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free), false, std::move(kid)};
  }
  static TestSigningKey p256(std::string kid) {
    EVP_PKEY* k = EVP_EC_gen("P-256");
    if (k == nullptr) throw std::runtime_error("EVP_EC_gen failed");
    return TestSigningKey{std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free), true, std::move(kid)};
  }

  // The public JWK; `alg` "" leaves the member out.
  std::string jwk(const std::string& alg = "") const {
    std::string out = "{\"kid\":\"" + kid + "\",\"use\":\"sig\"";
    if (!alg.empty()) out += ",\"alg\":\"" + alg + "\"";
    if (ec) {
      unsigned char point[65];
      std::size_t size = 0;
      EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                      &size);
      const std::string bytes(reinterpret_cast<const char*>(point), size);
      out += ",\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + encode_base64url(bytes.substr(1, 32)) +
             "\",\"y\":\"" + encode_base64url(bytes.substr(33, 32)) + "\"}";
    } else {
      out += ",\"kty\":\"RSA\",\"n\":\"" + bn(OSSL_PKEY_PARAM_RSA_N) + "\",\"e\":\"" +
             bn(OSSL_PKEY_PARAM_RSA_E) + "\"}";
    }
    return out;
  }

  // The signature of `input` as a JWS puts it (RS256: PKCS#1 v1.5; ES256: r || s).
  std::string sign(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t size = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.get());
    EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::vector<unsigned char> sig(size);
    EVP_DigestSign(ctx, sig.data(), &size, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(size);
    if (!ec) return std::string(sig.begin(), sig.end());
    const unsigned char* cursor = sig.data();
    ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(parsed), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(parsed), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(parsed);
    return raw;
  }

  // A compact JWS of `header` and `claims` (JSON texts), signed with this key.
  std::string token(const std::string& header, const std::string& claims) const {
    const std::string input = encode_base64url(header) + "." + encode_base64url(claims);
    return input + "." + encode_base64url(sign(input));
  }

  // The usual header: {"alg": RS256|ES256, "kid": kid, "typ": "JWT"}.
  std::string header() const {
    return std::string("{\"alg\":\"") + (ec ? "ES256" : "RS256") + "\",\"kid\":\"" + kid +
           "\",\"typ\":\"JWT\"}";
  }

 private:
  std::string bn(const char* name) const {
    BIGNUM* value = nullptr;
    EVP_PKEY_get_bn_param(key.get(), name, &value);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(value)), '\0');
    BN_bn2bin(value, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(value);
    return encode_base64url(bytes);
  }
};

// {"keys": [...]} of the given JWKs.
inline std::string jwks_of(const std::vector<std::string>& jwks) {
  std::string out = "{\"keys\":[";
  for (std::size_t i = 0; i < jwks.size(); ++i) out += (i ? "," : "") + jwks[i];
  return out + "]}";
}

// Claims with the given issuer, audience, exp, optional extras (",\"nbf\":1") and scope.
inline std::string claims_json(const std::string& iss, const std::string& aud, long long exp,
                               const std::string& extra = "",
                               const std::string& scope = "openid user/*.cruds") {
  return "{\"iss\":\"" + iss + "\",\"aud\":\"" + aud +
         "\",\"sub\":\"user-1\",\"exp\":" + std::to_string(exp) + ",\"scope\":\"" + scope + "\"" +
         extra + "}";
}

}  // namespace hearth::testing
