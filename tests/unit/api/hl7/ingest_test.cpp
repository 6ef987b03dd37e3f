// The HL7 v2 ingest use case over an in-memory store: ACK codes, archive rows, duplicates,
// configuration, and a failing store that must never yield AA.
#include "api/hl7/ingest.h"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "rest_test_support.h"
#include "storage/store.h"

namespace hearth::api {
namespace {

using testing::CountingIds;
using testing::FixedClock;

constexpr std::string_view kOru =
    "MSH|^~\\&|LAB|HOSP|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|MSG00003|P|2.5.1\r"
    "PID|1||67890^^^MRN||SMITH^JANE\r"
    "OBX|1|NM|WBC^White Blood Cell Count^LN||7.5|10*3/uL|4.5-11.0|N|||F\r";

struct Fixture {
  Fixture() {
    auto opened = storage::open_store("sqlite::memory:", clock);
    REQUIRE(opened.is_ok());
    store = std::move(opened).value();
  }
  Hl7Ingest ingest(Hl7IngestOptions options = {}) {
    return Hl7Ingest(*store, clock, ids, std::move(options));
  }
  FixedClock clock;
  CountingIds ids;
  std::unique_ptr<storage::Store> store;
};

// Hl7Ingest::ingest, waiting for its completion (on the store's thread, after the COMMIT).
Hl7IngestResult run(Hl7Ingest& ingest, std::string_view raw, std::string_view peer,
                    RejectAllowance* rejects = nullptr) {
  std::promise<Hl7IngestResult> promise;
  auto future = promise.get_future();
  ingest.ingest(std::string(raw), peer, rejects,
                [&promise](Hl7IngestResult r) { promise.set_value(std::move(r)); });
  REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  return future.get();
}
Hl7IngestResult run(Hl7Ingest&& ingest, std::string_view raw, std::string_view peer) {
  return run(ingest, raw, peer);
}

std::string segment(std::string_view ack, std::string_view id) {
  const std::size_t at = ack.find(std::string(id) + "|");
  if (at == std::string_view::npos) return "";
  return std::string(ack.substr(at, ack.find('\r', at) - at));
}

TEST_CASE("an ORU^R01 gets AA echoing its MSH-10 and is archived as accepted") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult r = run(ingest, kOru, "10.0.0.1:4000");
  CHECK(r.ack_code == "AA");
  CHECK(segment(r.ack, "MSA") == "MSA|AA|MSG00003");
  CHECK(r.ack.find("|ACK^R01^ACK|id1|P|2.5.1") != std::string::npos);
  CHECK(r.control_id == "MSG00003");
  CHECK(r.message_type == "ORU^R01");
  REQUIRE(r.archive_id > 0);
  auto row = f.store->read_message(r.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kAccepted);
  CHECK(row->raw == kOru);
  CHECK(row->ack == r.ack);
  CHECK(row->sender == "LAB|HOSP");
  CHECK(row->peer == "10.0.0.1:4000");
  CHECK(row->version == "2.5.1");
}

TEST_CASE("a duplicate gets the identical original ACK; a reused control id is a new message") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult first = run(ingest, kOru, "p");
  Hl7IngestResult again = run(ingest, kOru, "p");
  CHECK(again.duplicate);
  CHECK(again.ack == first.ack);
  CHECK(again.archive_id == first.archive_id);

  std::string changed(kOru);
  changed.replace(changed.find("7.5"), 3, "9.9");
  Hl7IngestResult reused = run(ingest, changed, "p");
  CHECK(reused.ack_code == "AA");
  CHECK_FALSE(reused.duplicate);
  CHECK(reused.control_id_reused);
  CHECK(segment(reused.ack, "MSA") == "MSA|AA|MSG00003");
  auto row = f.store->read_message(reused.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kAccepted);
  CHECK(row->note.rfind("control-id-reused", 0) == 0);
  CHECK(row->note.find(std::to_string(first.archive_id)) != std::string::npos);
  CHECK(f.store->list_messages(storage::MessageFilter{})->size() == 2);

  // Resends of either message are duplicates of their own row, with their own ACK.
  Hl7IngestResult resend_first = run(ingest, kOru, "p");
  Hl7IngestResult resend_second = run(ingest, changed, "p");
  CHECK(resend_first.duplicate);
  CHECK(resend_first.archive_id == first.archive_id);
  CHECK(resend_second.duplicate);
  CHECK(resend_second.archive_id == reused.archive_id);
  CHECK(resend_second.ack == reused.ack);
  CHECK(f.store->list_messages(storage::MessageFilter{})->size() == 2);
}

TEST_CASE("--hl7-duplicate-control-id=reject: a reused control id gets AE 205, archived as error") {
  Fixture f;
  Hl7IngestOptions strict;
  strict.on_reused_control_id = storage::ReusedControlId::kReject;
  Hl7Ingest ingest = f.ingest(strict);
  Hl7IngestResult first = run(ingest, kOru, "p");
  CHECK(first.ack_code == "AA");
  CHECK(run(ingest, kOru, "p").duplicate);
  std::string changed(kOru);
  changed.replace(changed.find("7.5"), 3, "9.9");
  Hl7IngestResult reused = run(ingest, changed, "p");
  CHECK(reused.ack_code == "AE");
  CHECK(reused.control_id_reused);
  CHECK(segment(reused.ack, "ERR").find("205^") != std::string::npos);
  auto row = f.store->read_message(reused.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->status == storage::MessageStatus::kError);
  CHECK(row->ack == reused.ack);
  // Enhanced mode answers CE.
  std::string enhanced = changed;
  enhanced.replace(enhanced.find("|P|2.5.1"), 8, "|P|2.5.1|||AL|NE");
  CHECK(run(ingest, enhanced, "p").ack_code == "CE");
}

TEST_CASE("bytes that do not parse get AR with an ERR and are archived as rejected") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult no_msh = run(ingest, "PID|1||123\r", "p");
  CHECK(no_msh.ack_code == "AR");
  CHECK(segment(no_msh.ack, "ERR").find("100") != std::string::npos);
  CHECK(f.store->read_message(no_msh.archive_id)->status == storage::MessageStatus::kRejected);

  Hl7IngestResult bad_msh2 = run(ingest, "MSH|^~|LAB|HOSP|||x||ORU^R01|C9|P|2.5.1\r", "p");
  CHECK(bad_msh2.ack_code == "AR");
  // Unusable delimiters: the ACK cannot trust the header, the archive keeps a best guess.
  CHECK(segment(bad_msh2.ack, "MSA") == "MSA|AR|");
  CHECK_FALSE(segment(bad_msh2.ack, "ERR").empty());
  auto row = f.store->read_message(bad_msh2.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->control_id == "C9");
  CHECK(row->sender == "LAB|HOSP");
}

TEST_CASE("garbage frames are archived up to the connection's rate, the rest only counted") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  RejectAllowance rejects(2);  // two a minute
  std::vector<Hl7IngestResult> results;
  for (int i = 0; i < 5; ++i) results.push_back(run(ingest, "garbage", "p", &rejects));
  for (const auto& r : results) CHECK(r.ack_code == "AR");  // every frame is still answered
  CHECK(results[0].archive_id > 0);
  CHECK(results[1].archive_id > 0);
  CHECK(results[2].archive_id == 0);
  CHECK(results[4].archive_id == 0);
  CHECK(rejects.dropped() == 3);
  CHECK(f.store->list_messages(storage::MessageFilter{})->size() == 2);
  // Good messages never use the allowance up, and time refills it.
  CHECK(run(ingest, kOru, "p", &rejects).archive_id > 0);
  f.clock.micros += 30'000'000;  // half a minute: one more
  CHECK(run(ingest, "garbage", "p", &rejects).archive_id > 0);
  CHECK(run(ingest, "garbage", "p", &rejects).archive_id == 0);
  CHECK(rejects.dropped() == 4);
  // A dropped frame is answered at once, on the calling thread, without the store.
  std::promise<Hl7IngestResult> promise;
  ingest.ingest("garbage", "p", &rejects,
                [&promise](Hl7IngestResult r) { promise.set_value(std::move(r)); });
  auto future = promise.get_future();
  REQUIRE(future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
  Hl7IngestResult dropped = future.get();
  CHECK(dropped.ack_code == "AR");
  CHECK(dropped.archive_id == 0);
  CHECK(f.store->list_messages(storage::MessageFilter{})->size() == 4);
}

TEST_CASE("enhanced mode: CA, and MSH-15 NE asks for no ACK at all") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  std::string enhanced(kOru);
  enhanced.replace(enhanced.find("|P|2.5.1"), 8, "|P|2.5.1|||AL|NE");
  CHECK(run(ingest, enhanced, "p").ack_code == "CA");
  std::string silent(kOru);
  silent.replace(silent.find("|P|2.5.1"), 8, "|P|2.5.1|||NE|NE");
  silent.replace(silent.find("MSG00003"), 8, "MSG00004");
  Hl7IngestResult r = run(ingest, silent, "p");
  CHECK(r.ack.empty());
  CHECK(r.archive_id > 0);
}

TEST_CASE("types and versions not configured are rejected with ERR 200 / 203") {
  Fixture f;
  Hl7IngestOptions only_adt;
  only_adt.message_types = {"ADT"};
  Hl7IngestResult type = run(f.ingest(only_adt), kOru, "p");
  CHECK(type.ack_code == "AR");
  CHECK(segment(type.ack, "ERR").find("200^") != std::string::npos);
  Hl7IngestOptions oru_r01;
  oru_r01.message_types = {"ORU^R01"};
  CHECK(run(f.ingest(oru_r01), kOru, "p").ack_code == "AA");
  Hl7IngestOptions v24;
  v24.versions = {"2.4"};
  std::string other(kOru);
  other.replace(other.find("MSG00003"), 8, "MSG00005");
  Hl7IngestResult version = run(f.ingest(v24), other, "p");
  CHECK(version.ack_code == "AR");
  CHECK(segment(version.ack, "ERR").find("203^") != std::string::npos);
}

// An archive that always fails.
class BrokenArchive final : public storage::MessageArchive {
 public:
  void archive(std::shared_ptr<const storage::ArchiveRequest>, storage::ArchiveDone done) override {
    done(down());
  }
  Result<storage::ArchivedMessage> read_message(std::int64_t) override { return down(); }
  Result<std::vector<storage::ArchivedMessage>> list_messages(
      const storage::MessageFilter&) override {
    return down();
  }

 private:
  static Status down() { return Status(Code::kUnavailable, "database is down"); }
};

TEST_CASE("a store failure gives AR (CR in enhanced mode) with ERR 207, never AA or AE") {
  FixedClock clock;
  CountingIds ids;
  BrokenArchive archive;
  Hl7Ingest ingest(archive, clock, ids);
  Hl7IngestResult r = run(ingest, kOru, "p");
  CHECK(r.ack_code == "AR");
  CHECK(segment(r.ack, "MSA") == "MSA|AR|MSG00003");
  CHECK(segment(r.ack, "ERR").find("207^") != std::string::npos);
  CHECK(r.archive_id == 0);
  CHECK(r.store_error == "database is down");
  CHECK(r.ack.find("database is down") == std::string::npos);  // only in the server log
  CHECK(run(ingest, "garbage", "p").ack_code == "AR");
  std::string enhanced(kOru);
  enhanced.replace(enhanced.find("|P|2.5.1"), 8, "|P|2.5.1|||AL|AL");
  CHECK(run(ingest, enhanced, "p").ack_code == "CR");
  // MSH-15 ER (accept ACK on errors only) still hears of the failure.
  std::string errors_only(kOru);
  errors_only.replace(errors_only.find("|P|2.5.1"), 8, "|P|2.5.1|||ER|NE");
  CHECK(run(ingest, errors_only, "p").ack_code == "CR");
}

// The completion runs on the store's thread (SQLite: the group commit's committer), after the
// COMMIT; api::ingest_and_wait is the blocking form for callers that may wait.
TEST_CASE("ingest: parse and ACK on the caller, the archive's completion after the commit") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  REQUIRE(f.store->traits().group_commit);  // SQLite: the group commit's own thread writes
  Hl7IngestResult first = ingest_and_wait(ingest, std::string(kOru), "10.0.0.2:4000");
  CHECK(first.ack_code == "AA");
  CHECK(segment(first.ack, "MSA") == "MSA|AA|MSG00003");
  REQUIRE(first.archive_id > 0);
  auto row = f.store->read_message(first.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->raw == kOru);
  CHECK(row->ack == first.ack);
  CHECK(row->peer == "10.0.0.2:4000");

  Hl7IngestResult again = ingest_and_wait(ingest, std::string(kOru), "10.0.0.2:4000");
  CHECK(again.duplicate);
  CHECK(again.ack == first.ack);

  Hl7IngestResult bad = ingest_and_wait(ingest, "PID|1||x\r", "10.0.0.2:4000");
  CHECK(bad.ack_code == "AR");
  CHECK(f.store->read_message(bad.archive_id)->status == storage::MessageStatus::kRejected);
  CHECK(f.store->list_messages(storage::MessageFilter{})->size() == 2);
}

TEST_CASE("the ACK's own MSH-10 fits the 20-character ST of HL7 v2") {
  Fixture f;
  auto ids = make_uuid_generator(f.clock);
  Hl7Ingest ingest(*f.store, f.clock, *ids);
  Hl7IngestResult r = run(ingest, kOru, "p");
  const std::string msh = segment(r.ack, "MSH");
  // MSH|^~\&|HEARTH|HUB|LAB|HOSP|ts||ACK^R01^ACK|<MSH-10>|P|2.5.1
  std::vector<std::string> fields;
  std::size_t from = 0;
  for (std::size_t at; (at = msh.find('|', from)) != std::string::npos; from = at + 1) {
    fields.push_back(msh.substr(from, at - from));
  }
  fields.push_back(msh.substr(from));
  REQUIRE(fields.size() > 9);
  CHECK(fields[9].size() == 20);  // fields[0] is "MSH": fields[n] is MSH-(n+1)
  Hl7IngestResult other =
      run(ingest, std::string(kOru).replace(kOru.find("MSG00003"), 8, "MSG00004"), "p");
  CHECK(segment(other.ack, "MSH") != msh);
}

TEST_CASE("reject_oversize: AR with ERR 207 from the frame's head, nothing archived") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  Hl7IngestResult r = ingest.reject_oversize(kOru.substr(0, 90), 1000);
  CHECK(r.ack_code == "AR");
  CHECK(r.control_id == "MSG00003");
  CHECK(r.message_type == "ORU^R01");
  CHECK(segment(r.ack, "MSA").rfind("MSA|AR|MSG00003", 0) == 0);
  CHECK(segment(r.ack, "ERR").find("207^") != std::string::npos);
  CHECK(r.ack.find("1000 bytes") != std::string::npos);
  // A head without a readable MSH still gets a reject.
  Hl7IngestResult blind = ingest.reject_oversize("garbage", 10);
  CHECK(blind.ack_code == "AR");
  CHECK(f.store->list_messages(storage::MessageFilter{})->empty());
}

TEST_CASE("8859/1: the raw bytes are archived as received, the metadata as UTF-8") {
  Fixture f;
  Hl7Ingest ingest = f.ingest();
  const std::string latin1 =
      "MSH|^~\\&|LAB|H\xd4PITAL|HEARTH|HUB|20260309140000||ORU^R01|M\xe9"
      "1|P|2.5.1|||||"
      "|8859/1\rPID|1||1^^^MRN||M\xfcLLER^J\xd6RG\r";
  Hl7IngestResult r = run(ingest, latin1, "p");
  CHECK(r.ack_code == "AA");
  auto row = f.store->read_message(r.archive_id);
  REQUIRE(row.is_ok());
  CHECK(row->raw == latin1);
  CHECK(row->sender == "LAB|H\xc3\x94PITAL");
  CHECK(row->control_id ==
        "M\xc3\xa9"
        "1");
  CHECK(segment(r.ack, "MSA") ==
        "MSA|AA|M\xe9"
        "1");  // the ACK echoes the bytes it got
}

}  // namespace
}  // namespace hearth::api
