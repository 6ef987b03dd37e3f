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

TEST_CASE("content_hash_128 is FNV-1a 128 in hex, stable across builds") {
  // Mapped mentions are stored under this key (hl7/to_fhir/resource_identity.h): the published
  // FNV-1a 128 vectors pin it.
  CHECK(content_hash_128("") == "6c62272e07bb014262b821756295c58d");
  CHECK(content_hash_128("a") == "d228cb696f1a8caf78912b704e4a8964");
  CHECK(content_hash_128("foobar") == "343e1662793c64bf6f0d3597ba446f18");
  CHECK(content_hash_128(std::string("a\0b", 3)) != content_hash_128(std::string("a\0c", 3)));
}

}  // namespace hearth
