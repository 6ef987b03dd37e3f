// JWK members -> OpenSSL 3 keys through EVP_PKEY_fromdata (no deprecated RSA/EC_KEY calls).
#include "server/auth/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "core/base64.h"

namespace hearth::server::auth {
namespace {

constexpr int kMinRsaBits = 2048;

std::string member(const rapidjson::Value& jwk, const char* name) {
  auto it = jwk.FindMember(name);
  if (it == jwk.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::shared_ptr<void> own(EVP_PKEY* key) {
  return std::shared_ptr<void>(key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
}

// `params` built by `fill` into a public key of `algorithm` ("RSA", "EC"); null on failure.
template <typename Fill>
EVP_PKEY* from_data(const char* algorithm, Fill fill) {
  OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
  EVP_PKEY* key = nullptr;
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = nullptr;
  if (builder != nullptr && fill(builder) && (params = OSSL_PARAM_BLD_to_param(builder)) &&
      (ctx = EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr)) &&
      EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) key = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(builder);
  return key;
}

Result<std::shared_ptr<void>> rsa_key(const rapidjson::Value& jwk) {
  auto n = decode_base64url(member(jwk, "n"));
  auto e = decode_base64url(member(jwk, "e"));
  if (!n || !e || n->empty() || e->empty()) {
    return Status(Code::kInvalidArgument, "RSA key without valid \"n\" and \"e\"");
  }
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                           static_cast<int>(n->size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                           static_cast<int>(e->size()), nullptr);
  EVP_PKEY* key = from_data("RSA", [&](OSSL_PARAM_BLD* b) {
    return bn_n != nullptr && bn_e != nullptr &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1;
  });
  BN_free(bn_n);
  BN_free(bn_e);
  if (key == nullptr) return Status(Code::kInvalidArgument, "RSA key OpenSSL does not accept");
  if (EVP_PKEY_get_bits(key) < kMinRsaBits) {
    EVP_PKEY_free(key);
    return Status(Code::kInvalidArgument, "RSA key shorter than 2048 bits");
  }
  return own(key);
}

Result<std::shared_ptr<void>> ec_key(const rapidjson::Value& jwk) {
  auto x = decode_base64url(member(jwk, "x"));
  auto y = decode_base64url(member(jwk, "y"));
  if (!x || !y || x->size() != 32 || y->size() != 32) {
    return Status(Code::kInvalidArgument, "P-256 key without 32-byte \"x\" and \"y\"");
  }
  std::string point = "\x04" + *x + *y;  // uncompressed SEC1 point
  EVP_PKEY* key = from_data("EC", [&](OSSL_PARAM_BLD* b) {
    return OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
           OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                            point.size()) == 1;
  });
  if (key == nullptr) return Status(Code::kInvalidArgument, "P-256 point not on the curve");
  return own(key);
}

}  // namespace

Result<Jwks> Jwks::parse(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("keys") || !doc["keys"].IsArray()) {
    return Status(Code::kInvalidArgument, "not a JWKS: expected {\"keys\": [...]}");
  }
  Jwks set;
  int index = 0;
  for (const auto& jwk : doc["keys"].GetArray()) {
    const std::string where = "keys[" + std::to_string(index++) + "]";
    if (!jwk.IsObject()) return Status(Code::kInvalidArgument, where + " is not an object");
    const std::string kty = member(jwk, "kty");
    const std::string use = member(jwk, "use");
    if (!use.empty() && use != "sig") continue;
    if (jwk.HasMember("d")) continue;  // a private key has no business here
    PublicKey key{member(jwk, "kid"), KeyType::kRsa, member(jwk, "alg"), nullptr};
    if (kty == "EC" && member(jwk, "crv") == "P-256") {
      key.type = KeyType::kEcP256;
    } else if (kty != "RSA") {
      continue;
    }
    Result<std::shared_ptr<void>> made = key.type == KeyType::kRsa ? rsa_key(jwk) : ec_key(jwk);
    if (!made) return Status(Code::kInvalidArgument, where + ": " + made.status().message());
    key.key = std::move(*made);
    set.keys_.push_back(std::move(key));
  }
  if (set.keys_.empty()) {
    return Status(Code::kInvalidArgument, "no RSA or P-256 signing key in the JWKS");
  }
  return set;
}

Result<Jwks> Jwks::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kInvalidArgument, "--jwks-file '" + path + "': cannot read it");
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse(text.str());
  if (!parsed) {
    return Status(Code::kInvalidArgument,
                  "--jwks-file '" + path + "': " + parsed.status().message());
  }
  return parsed;
}

}  // namespace hearth::server::auth
