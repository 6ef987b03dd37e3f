// The archive's operating API over an in-memory store and a real Hl7Ingest: list filters and
// paging, strict parameters, the read view (parsed and rejected), routing errors, and replay
// (an error message, an accepted one that must not be applied twice, a rejected one under
// new rules).
#include "api/hl7/archive_api.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rest_test_support.h"
#include "storage/store.h"

namespace hearth::api {
namespace {

using testing::CountingIds;
using testing::FixedClock;
using Query = std::vector<std::pair<std::string, std::string>>;

std::string oru(std::string_view control_id, std::string_view value = "7.5") {
  return "MSH|^~\\&|LAB|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|" +
         std::string(control_id) +
         "|P|2.5.1\r"
         "PID|1||67890^^^MRN~12^^^SSN&X&Y||SMITH^JANE||||||1 A\\S\\B ST\r"
         "OBX|1|NM|WBC^White Blood Cell Count^LN||" +
         std::string(value) + "|10*3/uL|4.5-11.0|N|||F\r";
}

constexpr std::string_view kAdt =
    "MSH|^~\\&|ADM|HOSP|HEARTH|HUB|20260309140000||ADT^A01|ADT1|P|2.5\rPID|1||1^^^MRN\r";
constexpr std::string_view kNoMsh = "PID|1||67890^^^MRN\r";

// The strict control-id rule: a reused control id is stored as an 'error' row.
Hl7IngestOptions strict() {
  Hl7IngestOptions options;
  options.on_reused_control_id = storage::ReusedControlId::kReject;
  return options;
}

struct Fixture {
  explicit Fixture(Hl7IngestOptions options = {}) {
    auto opened = storage::open_store("sqlite::memory:", clock);
    REQUIRE(opened.is_ok());
    store = std::move(opened).value();
    ingest = std::make_unique<Hl7Ingest>(*store, clock, ids, std::move(options));
    api = std::make_unique<Hl7ArchiveApi>(*store, *ingest);
  }

  Response call(std::string method, std::string path, Query query = {}) const {
    Request request;
    request.endpoint = Endpoint::kHl7;
    request.method = std::move(method);
    request.path = std::move(path);
    request.query = std::move(query);
    request.base_url = "http://test/fhir";
    request.content_type = "application/json";  // $replay needs it; GETs ignore it
    return api->handle(request);
  }

  Response post_typed(std::string path, std::string content_type) const {
    Request request;
    request.endpoint = Endpoint::kHl7;
    request.method = "POST";
    request.path = std::move(path);
    request.base_url = "http://test/fhir";
    request.content_type = std::move(content_type);
    return api->handle(request);
  }

  std::int64_t send(std::string_view raw) {
    Hl7IngestResult r = ingest_and_wait(*ingest, std::string(raw), "10.0.0.1:4000");
    REQUIRE(r.archive_id > 0);
    clock.micros += 1'000'000;
    return r.archive_id;
  }

  std::size_t rows() const { return store->list_messages(storage::MessageFilter{})->size(); }

  FixedClock clock;
  CountingIds ids;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<Hl7Ingest> ingest;
  std::unique_ptr<Hl7ArchiveApi> api;
};

rapidjson::Document json(const Response& response) {
  rapidjson::Document doc;
  doc.Parse(response.body.data(), response.body.size());
  REQUIRE_MESSAGE(!doc.HasParseError(), response.body);
  return doc;
}

std::string str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

std::vector<std::int64_t> ids_of(const rapidjson::Document& doc) {
  std::vector<std::int64_t> out;
  for (const auto& m : doc["messages"].GetArray()) out.push_back(m["id"].GetInt64());
  return out;
}

// The query of a link such as "http://test/hl7/messages?_count=2&before=4", decoded enough for
// these tests (no escapes but %5E).
Query query_of(const std::string& link) {
  Query out;
  std::string rest = link.substr(link.find('?') + 1);
  while (!rest.empty()) {
    std::string piece = rest.substr(0, rest.find('&'));
    rest = piece.size() < rest.size() ? rest.substr(piece.size() + 1) : std::string();
    std::string value = piece.substr(piece.find('=') + 1);
    for (std::size_t at; (at = value.find("%5E")) != std::string::npos;) value.replace(at, 3, "^");
    out.emplace_back(piece.substr(0, piece.find('=')), value);
  }
  return out;
}

void check_outcome(const Response& response, int status) {
  CHECK(response.status == status);
  CHECK(json(response)["resourceType"] == "OperationOutcome");
}

TEST_CASE("GET messages lists newest first with every column and a self link") {
  Fixture f;
  const std::int64_t first = f.send(oru("M1"));
  const std::int64_t second = f.send(kAdt);
  Response r = f.call("GET", "messages");
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json; charset=utf-8");
  auto doc = json(r);
  CHECK(str(doc["self"]) == "http://test/hl7/messages?_count=100");
  CHECK_FALSE(doc.HasMember("next"));
  CHECK(doc["count"].GetInt() == 2);
  CHECK(ids_of(doc) == std::vector<std::int64_t>{second, first});
  const auto& m = doc["messages"][1];
  CHECK(str(m["receivedAt"]) == "2026-11-23T18:02:00.000000Z");
  CHECK(str(m["peer"]) == "10.0.0.1:4000");
  CHECK(str(m["sender"]) == "LAB|HOSP");
  CHECK(str(m["controlId"]) == "M1");
  CHECK(str(m["type"]) == "ORU^R01");
  CHECK(str(m["version"]) == "2.5.1");
  CHECK(str(m["status"]) == "accepted");
  CHECK(str(m["ackCode"]) == "AA");
  CHECK(str(m["note"]).empty());
  CHECK(str(m["self"]) == "http://test/hl7/messages/" + std::to_string(first));
  CHECK_FALSE(m.HasMember("raw"));
}

TEST_CASE("GET messages filters by status, type and since") {
  Fixture f(strict());
  const std::int64_t accepted = f.send(oru("M1"));
  const std::int64_t rejected = f.send(kNoMsh);
  const std::int64_t error = f.send(oru("M1", "9.9"));  // reused control id: AE 205
  const std::int64_t adt = f.send(kAdt);

  auto listed = [&](Query query) {
    Response r = f.call("GET", "messages", std::move(query));
    REQUIRE(r.status == 200);
    return ids_of(json(r));
  };
  CHECK(listed({{"status", "error"}}) == std::vector<std::int64_t>{error});
  CHECK(listed({{"status", "rejected"}}) == std::vector<std::int64_t>{rejected});
  CHECK(listed({{"status", "accepted"}}) == std::vector<std::int64_t>{adt, accepted});
  CHECK(listed({{"type", "ORU^R01"}}) == std::vector<std::int64_t>{error, accepted});
  CHECK(listed({{"type", "ORU^R01"}, {"status", "error"}}) == std::vector<std::int64_t>{error});
  CHECK(listed({{"type", "ORU"}}).empty());  // exact match
  // The clock starts at 18:02:00 and moves one second per message.
  CHECK(listed({{"since", "2026-11-23T18:02:02Z"}}) == std::vector<std::int64_t>{adt, error});
  CHECK(listed({{"since", "2026-11-23T20:02:02+02:00"}}) == std::vector<std::int64_t>{adt, error});
  CHECK(listed({{"since", "2026-11-23T20:02:02 02:00"}}) ==  // '+' sent unencoded
        std::vector<std::int64_t>{adt, error});
  CHECK(listed({{"since", "2026-11-24"}}).empty());
  CHECK(listed({{"since", "2026"}}).size() == 4);

  auto doc = json(f.call("GET", "messages", {{"since", "2026-11-23T18:02:02Z"}, {"type", "A^B"}}));
  CHECK(str(doc["self"]) ==
        "http://test/hl7/messages?type=A%5EB&since=2026-11-23T18%3A02%3A02.000000Z&_count=100");
  auto rejected_doc = json(f.call("GET", "messages", {{"status", "rejected"}}));
  CHECK(str(rejected_doc["messages"][0]["ackCode"]) == "AR");
  CHECK(str(rejected_doc["messages"][0]["type"]).empty());
}

TEST_CASE("GET messages pages with _count and a next link until the last page") {
  Fixture f;
  std::vector<std::int64_t> sent;
  for (int i = 0; i < 5; ++i) sent.push_back(f.send(oru("P" + std::to_string(i))));
  std::vector<std::int64_t> seen;
  Query query{{"type", "ORU^R01"}, {"_count", "2"}};
  int pages = 0;
  for (;;) {
    Response r = f.call("GET", "messages", query);
    REQUIRE(r.status == 200);
    auto doc = json(r);
    ++pages;
    for (std::int64_t id : ids_of(doc)) seen.push_back(id);
    if (!doc.HasMember("next")) break;
    const std::string next = str(doc["next"]);
    CHECK(next.starts_with("http://test/hl7/messages?type=ORU%5ER01&_count=2&before="));
    query = query_of(next);
    REQUIRE(pages < 5);
  }
  CHECK(pages == 3);
  CHECK(seen == std::vector<std::int64_t>{sent[4], sent[3], sent[2], sent[1], sent[0]});

  auto exact = json(f.call("GET", "messages", {{"_count", "5"}}));
  CHECK(exact["count"].GetInt() == 5);
  CHECK_FALSE(exact.HasMember("next"));  // exactly full: no empty page to follow
  auto before = json(f.call("GET", "messages", {{"before", std::to_string(sent[1])}}));
  CHECK(ids_of(before) == std::vector<std::int64_t>{sent[0]});
  CHECK(str(before["self"]) ==
        "http://test/hl7/messages?_count=100&before=" + std::to_string(sent[1]));
}

TEST_CASE("GET messages rejects bad and unknown parameters with 400") {
  Fixture f;
  f.send(oru("M1"));
  const std::vector<Query> bad = {
      {{"status", "ok"}},       {{"status", ""}},
      {{"since", "yesterday"}}, {{"since", "2026-13-01"}},
      {{"_count", "0"}},        {{"_count", "1001"}},
      {{"_count", "-1"}},       {{"_count", "ten"}},
      {{"_count", "5x"}},       {{"before", "x"}},
      {{"before", "0"}},        {{"_sort", "id"}},
      {{"limit", "5"}},         {{"status", "error"}, {"status", "accepted"}},
  };
  for (const Query& query : bad) {
    CAPTURE(query.front().first + "=" + query.front().second);
    check_outcome(f.call("GET", "messages", query), 400);
  }
  CHECK(f.call("GET", "messages", {{"_count", "1000"}}).status == 200);
  CHECK(f.call("GET", "messages", {{"_count", "1"}}).status == 200);
  CHECK(json(f.call("GET", "messages", {{"foo", "1"}}))["issue"][0]["diagnostics"].GetString() ==
        std::string("unknown parameter 'foo'; /hl7/messages takes status, type, since, _count "
                    "and before"));
}

TEST_CASE("GET messages/{id} shows raw, ack and the parsed view with escapes decoded") {
  Fixture f;
  const std::int64_t id = f.send(oru("M1"));
  Response r = f.call("GET", "messages/" + std::to_string(id));
  REQUIRE(r.status == 200);
  auto doc = json(r);
  CHECK(doc["id"].GetInt64() == id);
  CHECK(str(doc["status"]) == "accepted");
  CHECK(str(doc["raw"]) == oru("M1"));
  CHECK(str(doc["ack"]).find("MSA|AA|M1") != std::string::npos);
  CHECK_FALSE(doc.HasMember("parseError"));
  const auto& segments = doc["parsed"]["segments"];
  REQUIRE(segments.Size() == 3);
  CHECK(str(segments[0]["name"]) == "MSH");
  CHECK(str(segments[0]["fields"]["1"]) == "|");
  CHECK(str(segments[0]["fields"]["2"]) == "^~\\&");
  CHECK(str(segments[0]["fields"]["9"][2]) == "ORU_R01");
  CHECK_FALSE(segments[0]["fields"].HasMember("8"));  // empty fields are left out
  const auto& pid = segments[1]["fields"];
  const auto& ids = pid["3"]["repetitions"];
  REQUIRE(ids.Size() == 2);
  CHECK(str(ids[0][0]) == "67890");
  CHECK(str(ids[0][1]).empty());
  CHECK(str(ids[0][3]) == "MRN");
  CHECK(str(ids[1][3][2]) == "Y");  // subcomponents
  CHECK(str(pid["5"][1]) == "JANE");
  CHECK(str(pid["11"]) == "1 A^B ST");  // \S\ decoded
  CHECK(str(segments[2]["fields"]["5"]) == "7.5");
}

TEST_CASE("GET messages/{id} of a message that does not parse: parsed null and parseError") {
  Fixture f;
  const std::int64_t id = f.send(kNoMsh);
  auto doc = json(f.call("GET", "messages/" + std::to_string(id)));
  CHECK(str(doc["status"]) == "rejected");
  CHECK(str(doc["ackCode"]) == "AR");
  CHECK(doc["parsed"].IsNull());
  CHECK(doc["parseError"]["code"].GetInt() == 100);
  CHECK(str(doc["parseError"]["text"]) == "Segment sequence error");
  CHECK(str(doc["parseError"]["location"]).starts_with("PID"));
  CHECK_FALSE(str(doc["parseError"]["message"]).empty());
}

TEST_CASE("unknown ids, paths and methods: 404, 400, 405") {
  Fixture f;
  const std::int64_t id = f.send(oru("M1"));
  const std::string one = "messages/" + std::to_string(id);
  check_outcome(f.call("GET", "messages/999"), 404);
  check_outcome(f.call("POST", "messages/999/$replay"), 404);
  check_outcome(f.call("GET", "messages/abc"), 400);
  check_outcome(f.call("GET", "messages/-1"), 400);
  check_outcome(f.call("POST", "messages/12x/$replay"), 400);
  check_outcome(f.call("GET", one, {{"_pretty", "true"}}), 400);
  check_outcome(f.call("GET", ""), 404);
  check_outcome(f.call("GET", "foo"), 404);
  check_outcome(f.call("GET", one + "/other"), 404);
  check_outcome(f.call("GET", one + "/$replay/x"), 404);
  Response post = f.call("POST", "messages");
  check_outcome(post, 405);
  CHECK(testing::header(post, "Allow") == "GET");
  check_outcome(f.call("DELETE", one), 405);
  check_outcome(f.call("PUT", one), 405);
  Response get_replay = f.call("GET", one + "/$replay");
  check_outcome(get_replay, 405);
  CHECK(testing::header(get_replay, "Allow") == "POST");
  CHECK(f.call("HEAD", one).status == 200);
  CHECK(f.rows() == 1);
}

TEST_CASE("the route table: every /hl7 call uses the store, $replay writes") {
  Fixture f;
  auto use = [&f](std::string method, std::string path) {
    Request request;
    request.endpoint = Endpoint::kHl7;
    request.method = std::move(method);
    request.path = std::move(path);
    return f.api->store_use(request);
  };
  CHECK(use("GET", "messages") == StoreUse::kRead);
  CHECK(use("HEAD", "messages/12") == StoreUse::kRead);
  CHECK(use("GET", "messages/abc") ==
        StoreUse::kRead);  // 400 from the store-free check, but routed
  CHECK(use("POST", "messages/12/$replay") == StoreUse::kWrite);
  CHECK(use("POST", "messages") == StoreUse::kNone);  // 405
  CHECK(use("GET", "foo") == StoreUse::kNone);        // 404
  CHECK(use("GET", "messages/1/$replay") == StoreUse::kNone);
}

TEST_CASE("$replay needs a JSON content type: a cross-site form POST gets 415") {
  Fixture f;
  const std::string replay = "messages/" + std::to_string(f.send(oru("M1"))) + "/$replay";
  for (const char* type : {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "text/plain", "text/plain;charset=UTF-8", ""}) {
    CAPTURE(type);
    Response r = f.post_typed(replay, type);
    check_outcome(r, 415);
    CHECK(f.rows() == 1);
  }
  for (const char* type : {"application/json", "Application/FHIR+JSON; charset=utf-8"}) {
    CAPTURE(type);
    CHECK(f.post_typed(replay, type).status == 200);
  }
}

TEST_CASE("$replay of an accepted message is a duplicate and stores nothing") {
  Fixture f;
  const std::int64_t id = f.send(oru("M1"));
  const std::string original_ack = f.store->read_message(id)->ack;
  Response r = f.call("POST", "messages/" + std::to_string(id) + "/$replay");
  REQUIRE(r.status == 200);
  auto doc = json(r);
  CHECK(doc["replayOf"].GetInt64() == id);
  CHECK(doc["archiveId"].GetInt64() == id);
  CHECK(doc["duplicate"].GetBool());
  CHECK(str(doc["status"]) == "accepted");
  CHECK(str(doc["ackCode"]) == "AA");
  CHECK(str(doc["ack"]) == original_ack);
  CHECK(f.rows() == 1);
  CHECK(f.call("POST", "messages/" + std::to_string(id) + "/$replay").status == 200);
  CHECK(f.rows() == 1);
}

TEST_CASE("$replay of an error message re-runs it: a new row under the same rules") {
  Fixture f(strict());
  f.send(oru("M1"));
  const std::int64_t error = f.send(oru("M1", "9.9"));
  REQUIRE(f.store->read_message(error)->status == storage::MessageStatus::kError);
  auto doc = json(f.call("POST", "messages/" + std::to_string(error) + "/$replay"));
  const std::int64_t replayed = doc["archiveId"].GetInt64();
  CHECK(replayed > error);
  CHECK_FALSE(doc["duplicate"].GetBool());
  CHECK(str(doc["status"]) == "error");
  CHECK(str(doc["ackCode"]) == "AE");
  CHECK(str(doc["self"]) == "http://test/hl7/messages/" + std::to_string(replayed));
  auto row = f.store->read_message(replayed);
  CHECK(row->peer == "replay:" + std::to_string(error));
  CHECK(row->raw == oru("M1", "9.9"));
  CHECK(f.rows() == 3);
}

TEST_CASE("$replay of a message that reused a control id is a duplicate of its own row") {
  Fixture f;
  const std::int64_t first = f.send(oru("M1"));
  const std::int64_t reused = f.send(oru("M1", "9.9"));
  auto row = f.store->read_message(reused);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kAccepted);
  CHECK(row->note.find("message " + std::to_string(first)) != std::string::npos);
  auto doc = json(f.call("POST", "messages/" + std::to_string(reused) + "/$replay"));
  CHECK(doc["duplicate"].GetBool());
  CHECK(doc["archiveId"].GetInt64() == reused);
  CHECK(str(doc["ackCode"]) == "AA");
  CHECK(f.rows() == 2);
}

TEST_CASE("$replay applies the current rules: a message rejected by type is accepted later") {
  Fixture f;
  Hl7Ingest strict(*f.store, f.clock, f.ids,
                   Hl7IngestOptions{.message_types = {"ADT"}, .versions = {}});
  Hl7IngestResult first = ingest_and_wait(strict, oru("M7"), "p");
  REQUIRE(first.ack_code == "AR");
  auto doc = json(f.call("POST", "messages/" + std::to_string(first.archive_id) + "/$replay"));
  CHECK(str(doc["status"]) == "accepted");
  CHECK(str(doc["ackCode"]) == "AA");
  CHECK_FALSE(doc["duplicate"].GetBool());
  CHECK(doc["archiveId"].GetInt64() != first.archive_id);
  // Replayed again: now a duplicate of the accepted replay.
  auto again = json(f.call("POST", "messages/" + std::to_string(first.archive_id) + "/$replay"));
  CHECK(again["duplicate"].GetBool());
  CHECK(again["archiveId"].GetInt64() == doc["archiveId"].GetInt64());
  CHECK(f.rows() == 2);
}

// A real archive whose calls fail on demand.
class FlakyArchive final : public storage::MessageArchive {
 public:
  explicit FlakyArchive(storage::MessageArchive& inner) : inner_(inner) {}
  void archive(std::shared_ptr<const storage::ArchiveRequest> r,
               storage::ArchiveDone done) override {
    if (archive_down) return done(down());
    inner_.archive(std::move(r), std::move(done));
  }
  Result<storage::ArchivedMessage> read_message(std::int64_t id) override {
    if (reads_down) return down();
    return inner_.read_message(id);
  }
  Result<std::vector<storage::ArchivedMessage>> list_messages(
      const storage::MessageFilter& filter) override {
    if (reads_down) return down();
    return inner_.list_messages(filter);
  }

  bool archive_down = false;
  bool reads_down = false;

 private:
  static Status down() { return Status(Code::kUnavailable, "database is down"); }
  storage::MessageArchive& inner_;
};

TEST_CASE("store failures: 503 OperationOutcomes, and a replay that could not be archived") {
  Fixture f;
  const std::int64_t id = f.send(oru("M1"));
  FlakyArchive flaky(*f.store);
  Hl7Ingest ingest(flaky, f.clock, f.ids);
  Hl7ArchiveApi api(flaky, ingest);
  auto call = [&api](std::string method, std::string path) {
    Request request;
    request.endpoint = Endpoint::kHl7;
    request.method = std::move(method);
    request.path = std::move(path);
    request.base_url = "http://test/fhir";
    request.content_type = "application/json";
    return api.handle(request);
  };
  const std::string one = "messages/" + std::to_string(id);
  flaky.archive_down = true;
  Response replay = call("POST", one + "/$replay");
  check_outcome(replay, 503);
  // The store's text is for the log only: the body names a reference, error_detail the cause.
  CHECK(replay.body.find("database is down") == std::string::npos);
  CHECK(replay.body.find("service unavailable; reference " + replay.error_reference) !=
        std::string::npos);
  CHECK(replay.error_detail.find("database is down") != std::string::npos);
  CHECK(f.rows() == 1);
  flaky.reads_down = true;
  check_outcome(call("GET", "messages"), 503);
  check_outcome(call("GET", one), 503);
  check_outcome(call("POST", one + "/$replay"), 503);
}

}  // namespace
}  // namespace hearth::api
