// Patient/[id]/$everything over real HTTP against the real binary: the patient and its
// compartment, nothing of another patient, _type, _since, and _count paging through next links
// that visit every resource once; its errors. Each run makes its own patients, so a shared
// PostgreSQL store ($HEARTH_TEST_STORE) does not disturb the counts.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>

#include "core/url_encoding.h"
#include "search_support.h"

using hearth::url_encode;
using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::ServerProcess;
using namespace hearth::testing::search;

namespace {

std::string observation(const std::string& patient, const std::string& code) {
  return R"({"resourceType":"Observation","status":"final","code":{"text":")" + code +
         R"("},"subject":{"reference":"Patient/)" + patient + R"("}})";
}

// Every match of $everything at `target`, following next links; `pages` counts them.
std::vector<std::string> walk(HttpClient& client, std::string target, int& pages) {
  std::vector<std::string> out;
  pages = 0;
  while (!target.empty()) {
    HttpResponse r = client.get(target);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    REQUIRE(++pages < 50);
    auto bundle = json(r);
    CHECK(std::string_view(bundle["type"].GetString()) == "searchset");
    for (const std::string& key : match_keys(bundle)) out.push_back(key);
    target.clear();
    for (const auto& link : bundle["link"].GetArray()) {
      if (std::string_view(link["relation"].GetString()) == "next") {
        target = link["url"].GetString();
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("$everything: the patient's compartment, paged, with _type and _since") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string p1 = create(client, "Patient", R"({"resourceType":"Patient"})");
  const std::string p2 = create(client, "Patient", R"({"resourceType":"Patient"})");
  std::set<std::string> mine{"Patient/" + p1};
  for (int i = 0; i < 7; ++i) {
    mine.insert("Observation/" +
                create(client, "Observation", observation(p1, "o" + std::to_string(i))));
  }
  mine.insert("Encounter/" + create(client, "Encounter",
                                    R"({"resourceType":"Encounter","status":"finished","class":)"
                                    R"({"code":"AMB"},"subject":{"reference":"Patient/)" +
                                        p1 + R"("}})"));
  const std::string other = create(client, "Observation", observation(p2, "other"));

  int pages = 0;
  std::vector<std::string> all = walk(client, "Patient/" + p1 + "/$everything", pages);
  CHECK(pages == 1);
  CHECK(std::set<std::string>(all.begin(), all.end()) == mine);
  CHECK(all.size() == mine.size());
  CHECK(all.front() == "Patient/" + p1);

  // _count pages through types and within them: each resource once.
  std::vector<std::string> paged = walk(client, "Patient/" + p1 + "/$everything?_count=3", pages);
  CHECK(pages >= 3);
  CHECK(paged.size() == mine.size());
  CHECK(std::set<std::string>(paged.begin(), paged.end()) == mine);

  // _type: only those types (Patient left out when not named).
  std::vector<std::string> obs =
      walk(client, "Patient/" + p1 + "/$everything?_type=Observation&_count=4", pages);
  CHECK(obs.size() == 7);
  for (const std::string& key : obs) CHECK(key.rfind("Observation/", 0) == 0);

  // _since: only what changed at or after the instant.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  HttpResponse meta = client.get("metadata");
  const std::string since = json(meta)["date"].GetString();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::string late = create(client, "Observation", observation(p1, "late"));
  std::vector<std::string> recent =
      walk(client, "Patient/" + p1 + "/$everything?_since=" + url_encode(since), pages);
  CHECK(recent == std::vector<std::string>{"Observation/" + late});
  (void)other;
}

TEST_CASE("$everything: errors") {
  ServerProcess server;
  HttpClient client = server.client();
  const std::string p = create(client, "Patient", R"({"resourceType":"Patient"})");
  CHECK(client.get("Patient/no-such-patient/$everything").status == 404);
  CHECK(client.get("Patient/" + p + "/$everything?_type=Medication").status == 400);
  CHECK(client.get("Patient/" + p + "/$everything?_type=Nonsense").status == 400);
  CHECK(client.get("Patient/" + p + "/$everything?_count=0").status == 400);
  CHECK(client.get("Patient/" + p + "/$everything?_since=yesterday").status == 400);
  CHECK(client.get("Patient/" + p + "/$everything?start=2020-01-01").status == 400);
  CHECK(client.get("Patient/" + p + "/$everything?_cursor=99:x").status == 400);
  CHECK(client.get("Observation/" + p + "/$everything").status == 404);
  HttpResponse deleted = client.del("Patient/" + p);
  CHECK(deleted.status < 300);
  CHECK(client.get("Patient/" + p + "/$everything").status == 410);

  // The CapabilityStatement claims it on Patient.
  auto cs = json(client.get("metadata"));
  bool claimed = false;
  for (const auto& resource : cs["rest"][0]["resource"].GetArray()) {
    if (std::string_view(resource["type"].GetString()) != "Patient") continue;
    for (const auto& op : resource["operation"].GetArray()) {
      claimed = claimed || std::string_view(op["name"].GetString()) == "everything";
    }
  }
  CHECK(claimed);
}
