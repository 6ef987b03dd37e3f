// Scale-out proven: three `hearth serve` replicas on one PostgreSQL ($HEARTH_TEST_STORE), a
// mixed load spread over them (creates, If-Match updates of a few shared resources retried on
// 412, searches, HL7 v2 ORU messages over MLLP), one replica SIGKILLed mid-load. Afterwards:
// every acknowledged write (2xx) and message (AA) is in the store; each shared resource's
// history is versions 1..n with none missing or repeated, and each acknowledged update is the
// version its ETag named; the surviving replicas' searches see every committed write; the
// ORU messages' one patient (a conditional create by PID-3 on every message, racing across
// replicas) exists once. On SQLite (one process owns the file) the case is skipped.
//
// Everything carries a per-run tag (identifier system, MSH-3 sender, PID-3), so the database
// the other integration tests share does not disturb the counts. Bounded: about 8 s of load.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "mllp_harness.h"

namespace {

using hearth::testing::HttpClient;
using hearth::testing::HttpResponse;
using hearth::testing::MllpClient;
using hearth::testing::msa;
using hearth::testing::ServerOptions;
using hearth::testing::ServerProcess;
using Clock = std::chrono::steady_clock;

constexpr int kReplicas = 3;
constexpr int kVictim = 2;  // the replica killed mid-load
constexpr int kShared = 3;  // resources every worker updates
constexpr int kHttpWorkers = 6;
constexpr int kMllpWorkers = 3;
constexpr auto kLoad = std::chrono::milliseconds(8000);
constexpr auto kKillAfter = std::chrono::milliseconds(3000);

// "2026-12-05T01:02:03Z", a minute ago: the archive list's `since` (clock skew margin).
std::string utc_now_minus_minute() {
  const std::time_t t = std::time(nullptr) - 60;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  return doc;
}

std::string str(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
}

// W/"7" -> 7; 0 when absent or malformed.
long etag_version(const std::string& etag) {
  const auto open = etag.find('"');
  if (open == std::string::npos) return 0;
  return std::strtol(etag.c_str() + open + 1, nullptr, 10);
}

std::string patient(const std::string& system, const std::string& value, const std::string& id,
                    const std::string& family) {
  std::string body = R"({"resourceType":"Patient",)";
  if (!id.empty()) body += R"("id":")" + id + R"(",)";
  return body + R"("identifier":[{"system":")" + system + R"(","value":")" + value +
         R"("}],"name":[{"family":")" + family + R"("}]})";
}

std::string oru(const std::string& sender, const std::string& control_id, const std::string& mrn) {
  return "MSH|^~\\&|" + sender + "|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|" + control_id +
         "|P|2.5.1\rPID|1||" + mrn + "^^^MRN||SCALE^OUT\rOBX|1|NM|WBC^White Blood Cell Count^LN||" +
         "7.5|10*3/uL|4.5-11.0|N|||F\r";
}

// What the load saw acknowledged, and what went wrong beyond a replica dying.
struct Ledger {
  std::mutex mutex;
  std::set<std::string> created;             // ids answered 201
  std::map<std::string, std::string> acked;  // "<shared id>/<version>" -> the writer's mark
  std::set<std::string> acked_messages;      // control ids answered AA
  std::vector<std::string> errors;           // unexpected answers (never a dead replica)
  std::atomic<int> requests{0}, unknown{0}, retries_412{0}, searches{0};

  void error(std::string what) {
    std::lock_guard lock(mutex);
    if (errors.size() < 20) errors.push_back(std::move(what));
  }
};

// Every id a search finds, following its next links; empty and an error when a page fails.
std::set<std::string> search_ids(HttpClient& client, std::string target, Ledger& ledger) {
  std::set<std::string> ids;
  for (int page = 0; page < 100 && !target.empty(); ++page) {
    HttpResponse response = client.get(target);
    if (response.status != 200) {
      ledger.error("search " + std::to_string(response.status) + ": " + response.body);
      return {};
    }
    rapidjson::Document bundle = parse(response.body);
    target.clear();
    if (bundle.HasMember("entry")) {
      for (const auto& entry : bundle["entry"].GetArray()) {
        ids.insert(str(entry["resource"]["id"]));
      }
    }
    if (bundle.HasMember("link")) {
      for (const auto& link : bundle["link"].GetArray()) {
        if (str(link["relation"]) == "next") target = str(link["url"]);
      }
    }
  }
  return ids;
}

}  // namespace

TEST_CASE("scale-out: three replicas on one PostgreSQL, one killed mid-load, lose nothing") {
  const char* env = std::getenv("HEARTH_TEST_STORE");
  if (env == nullptr || std::string(env).rfind("postgresql:", 0) != 0) {
    MESSAGE("skipped: needs HEARTH_TEST_STORE=postgresql://... (replicas share one PostgreSQL)");
    return;
  }
  const std::string tag = hearth::testing::unique_name("so");
  const std::string system = "urn:hearth:scale-out:" + tag;
  const std::string sender = "SO" + tag;
  const std::string mrn = "M" + tag;
  const std::string since = utc_now_minus_minute();

  // Started together: their migrations meet on the advisory lock.
  std::array<std::unique_ptr<ServerProcess>, kReplicas> replicas;
  {
    std::vector<std::thread> starting;
    for (int r = 0; r < kReplicas; ++r) {
      starting.emplace_back([&replicas, r] {
        ServerOptions options;
        options.args = {"--workers", "4", "--threads", "1"};
        options.start_timeout = std::chrono::seconds(30);
        replicas[r] = std::make_unique<ServerProcess>(options);
      });
    }
    for (auto& t : starting) t.join();
  }
  std::array<std::uint16_t, kReplicas> http_ports{}, mllp_ports{};
  for (int r = 0; r < kReplicas; ++r) {
    REQUIRE(replicas[r]->mllp_port() != 0);
    http_ports[r] = replicas[r]->port();
    mllp_ports[r] = replicas[r]->mllp_port();
  }

  std::vector<std::string> shared;
  {
    HttpClient client = replicas[0]->client();
    for (int s = 0; s < kShared; ++s) {
      const std::string id = tag + "-s" + std::to_string(s);
      HttpResponse put = client.put("Patient/" + id, patient(system, "shared", id, "v0"));
      REQUIRE_MESSAGE(put.status == 201, put.body);
      shared.push_back(id);
    }
  }

  Ledger ledger;
  std::atomic<bool> victim_dead{false};
  const Clock::time_point start = Clock::now();
  const Clock::time_point stop = start + kLoad;
  // The replica a worker uses next: its own, or the next live one once its own is dead.
  auto pick = [&](int worker, int attempt) {
    for (int i = 0;; ++i) {
      const int r = (worker + attempt + i) % kReplicas;
      if (r != kVictim || !victim_dead) return r;
    }
  };

  auto http_worker = [&](int w) {
    int attempt = 0;
    int replica = pick(w, attempt);
    auto client = std::make_unique<HttpClient>("127.0.0.1", http_ports[replica]);
    std::string last_created;
    for (int op = 0; Clock::now() < stop; ++op) {
      try {
        ledger.requests++;
        if (op % 3 == 0) {
          const std::string value = "w" + std::to_string(w) + "-" + std::to_string(op);
          HttpResponse created = client->post("Patient", patient(system, value, "", "created"));
          if (created.status != 201) {
            ledger.error("create " + std::to_string(created.status) + ": " + created.body);
            continue;
          }
          std::string id = str(parse(created.body)["id"]);
          std::lock_guard lock(ledger.mutex);
          ledger.created.insert(id);
          last_created = id;
        } else if (op % 3 == 1) {
          const std::string& id = shared[(w + op) % kShared];
          const std::string mark = "w" + std::to_string(w) + "u" + std::to_string(op);
          for (int tries = 0; tries < 50 && Clock::now() < stop + std::chrono::seconds(5);
               ++tries) {
            HttpResponse current = client->get("Patient/" + id);
            if (current.status != 200) {
              ledger.error("read shared " + std::to_string(current.status));
              break;
            }
            HttpResponse put = client->put(
                "Patient/" + id, patient(system, "shared", id, mark),
                {{"Content-Type", "application/fhir+json"}, {"If-Match", current.header("ETag")}});
            if (put.status == 412) {
              ledger.retries_412++;
              continue;
            }
            if (put.status != 200) {
              ledger.error("update " + std::to_string(put.status) + ": " + put.body);
              break;
            }
            const long version = etag_version(put.header("ETag"));
            std::lock_guard lock(ledger.mutex);
            auto [it, fresh] = ledger.acked.emplace(id + "/" + std::to_string(version), mark);
            if (!fresh) ledger.errors.push_back("version acknowledged twice: " + it->first);
            break;
          }
        } else if (!last_created.empty()) {
          // Read-your-writes through search, whichever replica wrote it.
          ledger.searches++;
          HttpResponse found = client->get("Patient?_id=" + last_created + "&identifier=" + system +
                                           "%7C&_elements=id");
          rapidjson::Document bundle = parse(found.body);
          if (found.status != 200 || !bundle.HasMember("total") || bundle["total"].GetInt() != 1) {
            ledger.error("search missed " + last_created + ": " + found.body.substr(0, 300));
          }
        }
      } catch (const std::exception&) {
        // The replica died under this request: its outcome is unknown. Move to a live one.
        ledger.unknown++;
        replica = pick(w, ++attempt);
        client = std::make_unique<HttpClient>("127.0.0.1", http_ports[replica]);
      }
    }
  };

  auto mllp_worker = [&](int w) {
    int attempt = 0;
    int replica = pick(w, attempt);
    auto client = std::make_unique<MllpClient>("127.0.0.1", mllp_ports[replica]);
    for (int n = 0; Clock::now() < stop; ++n) {
      const std::string control_id = "m" + std::to_string(w) + "-" + std::to_string(n);
      try {
        ledger.requests++;
        const std::string ack = client->exchange(oru(sender, control_id, mrn));
        if (msa(ack, 1) == "AA") {
          std::lock_guard lock(ledger.mutex);
          ledger.acked_messages.insert(control_id);
        } else {
          ledger.error("ORU " + control_id + " answered " + msa(ack, 1) + ": " + ack);
        }
      } catch (const std::exception&) {
        ledger.unknown++;
        replica = pick(w, ++attempt);
        client = std::make_unique<MllpClient>("127.0.0.1", mllp_ports[replica]);
      }
    }
  };

  std::vector<std::thread> workers;
  for (int w = 0; w < kHttpWorkers; ++w) workers.emplace_back(http_worker, w);
  for (int w = 0; w < kMllpWorkers; ++w) workers.emplace_back(mllp_worker, w);
  std::this_thread::sleep_for(kKillAfter);
  replicas[kVictim]->kill9();
  victim_dead = true;
  for (auto& t : workers) t.join();

  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << "scale-out: " << ledger.requests << " requests in " << seconds << " s over "
            << kReplicas << " replicas (one SIGKILLed at " << kKillAfter.count()
            << " ms): " << ledger.created.size() << " creates, " << ledger.acked.size()
            << " updates (" << ledger.retries_412 << " retried on 412), " << ledger.searches
            << " searches, " << ledger.acked_messages.size() << " ORU acknowledged, "
            << ledger.unknown << " outcomes unknown (the killed replica's)" << std::endl;
  for (const std::string& e : ledger.errors) MESSAGE(e);
  CHECK(ledger.errors.empty());
  CHECK(ledger.unknown > 0);  // the kill did land mid-load
  CHECK(ledger.created.size() > 10);
  CHECK(ledger.acked.size() > 10);
  CHECK(ledger.acked_messages.size() > 10);

  for (int r = 0; r < kReplicas; ++r) {
    if (r == kVictim) continue;
    CAPTURE(r);
    HttpClient client("127.0.0.1", http_ports[r], "/fhir", std::chrono::seconds(30));

    // Every acknowledged create is found by a search on this replica.
    std::set<std::string> found = search_ids(
        client, "Patient?identifier=" + system + "%7C&name=created&_count=500&_elements=id",
        ledger);
    std::size_t missing = 0;
    for (const std::string& id : ledger.created) missing += found.count(id) == 0 ? 1 : 0;
    CHECK_MESSAGE(missing == 0, missing << " acknowledged creates not found on replica " << r);
    CHECK(found.size() >= ledger.created.size());

    // Each shared resource: versions 1..n, each once, each acknowledged one holding its writer's
    // mark, and the current version is n.
    for (const std::string& id : shared) {
      CAPTURE(id);
      HttpResponse history = client.get("Patient/" + id + "/_history?_count=1000");
      REQUIRE(history.status == 200);
      rapidjson::Document bundle = parse(history.body);
      std::map<long, std::string> versions;  // version -> family
      int entries = 0;
      for (const auto& entry : bundle["entry"].GetArray()) {
        ++entries;
        const auto& resource = entry["resource"];
        versions[std::strtol(str(resource["meta"]["versionId"]).c_str(), nullptr, 10)] =
            str(resource["name"][0]["family"]);
      }
      CHECK(entries == static_cast<int>(versions.size()));  // no version twice
      REQUIRE(!versions.empty());
      CHECK(versions.begin()->first == 1);
      CHECK(versions.rbegin()->first == static_cast<long>(versions.size()));  // none missing
      HttpResponse current = client.get("Patient/" + id);
      CHECK(etag_version(current.header("ETag")) == versions.rbegin()->first);
      for (const auto& acked : ledger.acked) {  // no structured binding: clang and CHECK
        const std::string& key = acked.first;
        const std::string& mark = acked.second;
        if (key.rfind(id + "/", 0) != 0) continue;
        const long v = std::strtol(key.c_str() + id.size() + 1, nullptr, 10);
        CHECK_MESSAGE(versions.count(v) == 1, "acknowledged " << key << " missing");
        if (versions.count(v) == 1)
          CHECK_MESSAGE(versions[v] == mark, key << " holds another write");
      }
    }

    // Every acknowledged ORU is archived as accepted; the archive is read through this replica.
    std::set<std::string> archived;
    std::string target = "/hl7/messages?status=accepted&since=" + since + "&_count=1000";
    for (int page = 0; page < 200 && !target.empty(); ++page) {
      HttpResponse listed = client.get(target);
      REQUIRE(listed.status == 200);
      rapidjson::Document list = parse(listed.body);
      for (const auto& m : list["messages"].GetArray()) {
        if (str(m["sender"]) == sender + "|HOSP") archived.insert(str(m["controlId"]));
      }
      target = list.HasMember("next") ? str(list["next"]) : "";
    }
    std::size_t lost = 0;
    for (const std::string& c : ledger.acked_messages) lost += archived.count(c) == 0 ? 1 : 0;
    CHECK_MESSAGE(lost == 0, lost << " acknowledged ORU messages not in the archive");

    // The messages' patient, conditionally created by PID-3 on every message, exists once.
    std::set<std::string> patients = search_ids(client, "Patient?identifier=" + mrn, ledger);
    CHECK_MESSAGE(patients.size() == 1, patients.size() << " patients for one PID-3");
    // One Observation per archived message, so every acknowledged message was mapped.
    std::set<std::string> observations = search_ids(
        client, "Observation?subject:Patient.identifier=" + mrn + "&_count=1000&_elements=id",
        ledger);
    CHECK(observations.size() >= ledger.acked_messages.size());
    CHECK(observations.size() == archived.size());
  }
}
