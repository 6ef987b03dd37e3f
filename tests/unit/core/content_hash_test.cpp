// content_hash is stored in the archive, so its values must never change between builds: the
// FNV-1a reference vectors pin them.
#include "core/content_hash.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth {

TEST_CASE("content_hash is FNV-1a 64, stable across builds") {
  CHECK(content_hash("") == 0xcbf29ce484222325ull);
  CHECK(content_hash("a") == 0xaf63dc4c8601ec8cull);
  CHECK(content_hash("foobar") == 0x85944171f73967e8ull);
  static_assert(content_hash("a") != content_hash("b"));
}

TEST_CASE("content_hash sees every byte, NUL and high bytes included") {
  const std::string a("MSH|^~\\&|A\0x\xff", 13);
  std::string b = a;
  b[11] = 'y';
  CHECK(content_hash(a) != content_hash(b));
  CHECK(content_hash(a) == content_hash(std::string(a)));
}

}  // namespace hearth
