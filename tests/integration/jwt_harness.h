// What the --auth jwt integration tests share: a JWKS file of keys made in the test, the serve
// arguments that use it, and bearer headers (the signing itself is ../unit/server/
// jwt_test_keys.h).
#pragma once

#include <stdlib.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "../unit/server/jwt_test_keys.h"
#include "harness.h"

namespace hearth::testing {

inline constexpr const char* kJwtIssuer = "https://idp.example.org/realms/clinic";
inline constexpr const char* kJwtAudience = "hearth-test";

// A JWKS file in a temp directory of its own, removed with it.
struct JwksFile {
  explicit JwksFile(const std::string& jwks) {
    char pattern[] = "/tmp/hearth-jwks-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    std::ofstream(path()) << jwks;
  }
  ~JwksFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  JwksFile(const JwksFile&) = delete;
  JwksFile& operator=(const JwksFile&) = delete;
  std::string path() const { return dir + "/jwks.json"; }
  std::string dir;
};

inline ServerOptions jwt_options(const JwksFile& file) {
  ServerOptions options;
  options.args = {"--auth",
                  "jwt",
                  "--jwks-file",
                  file.path(),
                  "--issuer",
                  kJwtIssuer,
                  "--audience",
                  kJwtAudience,
                  "--oauth-authorize-url",
                  "https://idp.example.org/authorize",
                  "--oauth-token-url",
                  "https://idp.example.org/token"};
  return options;
}

inline long long unix_now() {
  return static_cast<long long>(std::time(nullptr));
}

inline Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// A bearer header for a token of `key` granting `scope`, with `extra` claims (",\"patient\":...").
inline Headers bearer_for(const TestSigningKey& key, const std::string& scope,
                          const std::string& extra = "") {
  return bearer(key.token(key.header(),
                          claims_json(kJwtIssuer, kJwtAudience, unix_now() + 600, extra, scope)));
}

}  // namespace hearth::testing
