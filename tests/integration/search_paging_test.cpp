// Keyset paging over real HTTP against the real binary: the next/previous/last links carry an
// opaque _cursor, and creates and deletes between two page requests never shift an entry across
// pages. Values carry a per-run tag so a shared PostgreSQL store ($HEARTH_TEST_STORE) does not
// disturb them.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "search_support.h"

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerProcess;
namespace s = hearth::testing::search;

namespace {

std::vector<std::string> ids(const hearth::fhir::JsonDocument& bundle) {
  std::vector<std::string> out;
  for (const std::string& key : s::match_keys(bundle)) out.push_back(key.substr(key.find('/') + 1));
  return out;
}

TEST_CASE("search over HTTP: pages stay put while resources are created and deleted between them") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string tag = hearth::testing::unique_name("pg");
  auto patient = [&](const std::string& given) {
    return s::create(client, "Patient",
                     R"({"resourceType":"Patient","name":[{"family":"Page)" + tag +
                         R"(","given":[")" + given + R"("]}]})");
  };
  // Sorted by given name: b d f h j.
  std::vector<std::string> made;
  for (const char* given : {"f", "b", "j", "d", "h"}) made.push_back(patient(given));
  const std::string query = "Patient?family=page" + tag + "&_sort=given&_count=2";

  auto first = s::search(client, query);
  CHECK(ids(first) == std::vector<std::string>{made[1], made[3]});  // b d
  const std::string next = s::link(first, "next");
  REQUIRE_FALSE(next.empty());
  CHECK(next.find("_cursor=") != std::string::npos);
  CHECK(next.find("_offset") == std::string::npos);
  CHECK(s::link(first, "previous").empty());

  // Between the pages: one that sorts before the cursor ("a", already passed: with offsets it
  // would push "d" onto page two again), and the entry after the cursor ("f") deleted.
  const std::string a = patient("a");
  REQUIRE(client.del("Patient/" + made[0]).status == 200);
  auto second = s::search(client, next);
  CHECK(ids(second) == std::vector<std::string>{made[4], made[2]});  // h j
  CHECK(s::total(second) == 5);                                      // a b d h j
  CHECK(s::link(second, "next").empty());

  // Back: the page before "h" is what now precedes it, "b d" (the new "a" is on the page before).
  auto back = s::search(client, s::link(second, "previous"));
  CHECK(ids(back) == std::vector<std::string>{made[1], made[3]});
  auto front = s::search(client, s::link(back, "previous"));
  CHECK(ids(front) == std::vector<std::string>{a});
  CHECK(s::link(front, "previous").empty());

  // The last page: what an offset walk leaves for it (5 = 2 + 2 + 1).
  auto last = s::search(client, s::link(first, "last"));
  CHECK(ids(last) == std::vector<std::string>{made[2]});  // j
  CHECK(s::link(last, "next").empty());
  CHECK_FALSE(s::link(last, "previous").empty());

  // A cursor is bound to its search: another _sort, or a damaged one, is a 400.
  const std::string cursor = next.substr(next.find("_cursor="));
  HttpResponse other = client.get("Patient?family=page" + tag + "&_sort=-given&" + cursor);
  CHECK(other.status == 400);
  CHECK(other.body.find("_cursor") != std::string::npos);
  CHECK(client.get("Patient?family=page" + tag + "&_cursor=nonsense").status == 400);
}

}  // namespace
