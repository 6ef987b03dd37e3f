// A JSON Web Key Set (RFC 7517) of public keys that verify bearer tokens: RSA keys (RS256, at
// least 2048 bits) and EC keys on P-256 (ES256), as OpenSSL keys. Other key types, curves and
// private keys are skipped, as are keys whose "use" is not "sig".
//
// Thread-safety: a Jwks is immutable once parsed; share it across threads.
// Errors: kInvalidArgument for text that is not a JWKS ({"keys": [...]}), a key of a supported
// type with malformed numbers, or a set with no usable key.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::server::auth {

enum class KeyType { kRsa, kEcP256 };

struct PublicKey {
  std::string kid;  // "" when the JWK has none
  KeyType type = KeyType::kRsa;
  std::string alg;  // the JWK's "alg" ("RS256", "ES256"), "" when absent
  // An EVP_PKEY*, owned (freed with EVP_PKEY_free).
  std::shared_ptr<void> key;
};

class Jwks {
 public:
  static Result<Jwks> parse(std::string_view json);
  static Result<Jwks> load_file(const std::string& path);

  const std::vector<PublicKey>& keys() const { return keys_; }

 private:
  std::vector<PublicKey> keys_;
};

}  // namespace hearth::server::auth
