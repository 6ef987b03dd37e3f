// X-Request-Id: a sent id is kept when it looks like an id, replaced otherwise.
#include "server/request_id.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace hearth::server {
namespace {

bool is_hex32(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_CASE("request id: plausible ids are kept") {
  std::string out;
  for (std::string_view id : {"abc", "0f3e2d1c-aaaa-4bbb-8ccc-123456789abc",
                              "01ARZ3NDEKTSV4RRFFQ69G5FAV", "trace:span/1+x=@y_z.q"}) {
    assign_request_id(id, out);
    CHECK(out == id);
  }
  const std::string longest(kMaxRequestIdLength, 'a');
  assign_request_id(longest, out);
  CHECK(out == longest);
}

TEST_CASE("request id: anything else is replaced by a generated id") {
  std::string out;
  for (std::string_view id :
       {"", "has space", "quote\"", "new\nline", "caf\xc3\xa9", "a;b", "<script>"}) {
    assign_request_id(id, out);
    CHECK(is_hex32(out));
  }
  assign_request_id(std::string(kMaxRequestIdLength + 1, 'a'), out);
  CHECK(is_hex32(out));
}

TEST_CASE("request id: generated ids differ") {
  std::set<std::string> seen;
  std::string out;
  for (int i = 0; i < 1000; ++i) {
    assign_request_id("", out);
    seen.insert(out);
  }
  CHECK(seen.size() == 1000);
}

}  // namespace
}  // namespace hearth::server
