// Store behaviour suite, part 5: the inbound message archive (archive, read_message,
// list_messages) on every backend, its migration from schema 2, and concurrent senders.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/sql/schema.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::archive_and_wait;
using testing::backends;
using testing::ManualClock;
using testing::open_or_die;
using testing::raw_exec;

ArchiveRequest message(const std::string& control_id, const std::string& raw,
                       MessageStatus status = MessageStatus::kAccepted) {
  ArchiveRequest r;
  r.peer = "127.0.0.1:5000";
  r.sender = "LAB|HOSP";
  r.control_id = control_id;
  r.message_type = "ORU^R01";
  r.version = "2.5.1";
  r.status = status;
  r.raw = raw;
  r.ack = "ACK " + control_id + " " + raw;
  r.reused_ack = "AE " + control_id;
  return r;
}

TEST_CASE("archive stores a message with the ACK built for it") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    auto first = archive_and_wait(*store, message("c1", "MSH|one"));
    REQUIRE(first.is_ok());
    CHECK_FALSE(first->duplicate);
    CHECK(first->stored.id > 0);
    CHECK(first->stored.status == MessageStatus::kAccepted);
    CHECK(first->stored.ack == "ACK c1 MSH|one");
    CHECK(first->stored.received_at_micros == clock.now_micros());

    auto read = store->read_message(first->stored.id);
    REQUIRE(read.is_ok());
    CHECK(read->raw == "MSH|one");
    CHECK(read->ack == "ACK c1 MSH|one");
    CHECK(read->sender == "LAB|HOSP");
    CHECK(read->control_id == "c1");
    CHECK(read->message_type == "ORU^R01");
    CHECK(read->version == "2.5.1");
    CHECK(read->peer == "127.0.0.1:5000");
    CHECK(store->read_message(first->stored.id + 1000).status().code() == Code::kNotFound);

    ArchiveRequest no_ack = message("c2", "x");  // enhanced mode may ask for no ACK
    no_ack.ack.clear();
    auto silent = archive_and_wait(*store, no_ack);
    REQUIRE(silent.is_ok());
    CHECK(silent->stored.ack.empty());
    CHECK(silent->stored.sender_identity.empty());

    // A sender identity (a verified client certificate's subject) is stored and listed.
    ArchiveRequest proven = message("c3", "MSH|three");
    proven.sender_identity = "CN=lab-1,O=Acme Labs";
    auto stored = archive_and_wait(*store, proven);
    REQUIRE(stored.is_ok());
    CHECK(stored->stored.sender_identity == "CN=lab-1,O=Acme Labs");
    CHECK(store->read_message(stored->stored.id)->sender_identity == "CN=lab-1,O=Acme Labs");
    auto listed = store->list_messages(MessageFilter{});
    REQUIRE(listed.is_ok());
    REQUIRE_FALSE(listed->empty());
    CHECK(listed->front().sender_identity == "CN=lab-1,O=Acme Labs");
    CHECK(store->read_message(first->stored.id)->sender_identity.empty());
  }
}

TEST_CASE("a duplicate returns the original row and ACK; a reused control id is flagged") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    auto original = archive_and_wait(*store, message("c1", "MSH|one"));
    REQUIRE(original.is_ok());
    clock.advance(10);
    auto again = archive_and_wait(*store, message("c1", "MSH|one"));
    REQUIRE(again.is_ok());
    CHECK(again->duplicate);
    CHECK(again->stored.id == original->stored.id);
    CHECK(again->stored.ack == original->stored.ack);

    ArchiveRequest unmapped = message("c1", "MSH|two");
    unmapped.note = "unmapped: no map";
    auto changed = archive_and_wait(*store, unmapped);
    REQUIRE(changed.is_ok());
    CHECK_FALSE(changed->duplicate);
    CHECK(changed->control_id_reused);
    CHECK(changed->stored.status == MessageStatus::kAccepted);
    CHECK(changed->stored.note.rfind("control-id-reused: ", 0) == 0);
    CHECK(changed->stored.note.find(std::to_string(original->stored.id)) != std::string::npos);
    // The request's own note is kept after the flag.
    CHECK(changed->stored.note.ends_with("; accepted as a new message; unmapped: no map"));
    CHECK(store->read_message(changed->stored.id)->note == changed->stored.note);
    CHECK(changed->stored.ack == "ACK c1 MSH|two");
    auto changed_again = archive_and_wait(*store, message("c1", "MSH|two"));
    REQUIRE(changed_again.is_ok());
    CHECK(changed_again->duplicate);
    CHECK(changed_again->stored.id == changed->stored.id);
    CHECK(changed_again->stored.ack == "ACK c1 MSH|two");
    const std::int64_t hashless_row = changed->stored.id;

    // The strict reading stores it as an error with the reject's ACK.
    ArchiveRequest strict = message("c1", "MSH|three");
    strict.on_reused = ReusedControlId::kReject;
    auto rejected_reuse = archive_and_wait(*store, strict);
    REQUIRE(rejected_reuse.is_ok());
    CHECK(rejected_reuse->control_id_reused);
    CHECK(rejected_reuse->stored.status == MessageStatus::kError);
    CHECK(rejected_reuse->stored.ack == "AE c1");
    CHECK(rejected_reuse->stored.note.find("control-id-reused (rejected)") == 0);
    CHECK(store->read_message(rejected_reuse->stored.id)->ack == "AE c1");
    // Rows from before the content hash (NULL) are still found by their text.
    if (b.persistent) {
      raw_exec(b, "UPDATE hl7_message SET content_hash = NULL WHERE id = " +
                      std::to_string(hashless_row));
      auto old_resend = archive_and_wait(*store, message("c1", "MSH|two"));
      REQUIRE(old_resend.is_ok());
      CHECK(old_resend->duplicate);
      CHECK(old_resend->stored.id == hashless_row);
    }

    // Another sender may use the same control id; a rejected message is never deduplicated.
    ArchiveRequest other = message("c1", "MSH|one");
    other.sender = "OTHER|X";
    auto other_out = archive_and_wait(*store, other);
    REQUIRE(other_out.is_ok());
    CHECK(other_out->stored.status == MessageStatus::kAccepted);
    auto bad1 = archive_and_wait(*store, message("", "garbage", MessageStatus::kRejected));
    auto bad2 = archive_and_wait(*store, message("", "garbage", MessageStatus::kRejected));
    REQUIRE(bad1.is_ok());
    REQUIRE(bad2.is_ok());
    CHECK(bad1->stored.id != bad2->stored.id);
    CHECK(bad2->stored.status == MessageStatus::kRejected);

    auto all = store->list_messages(MessageFilter{});
    REQUIRE(all.is_ok());
    CHECK(all->size() == 6);
    CHECK(all->front().id > all->back().id);  // newest first
    MessageFilter rejected;
    rejected.status = MessageStatus::kRejected;
    CHECK(store->list_messages(rejected)->size() == 2);
    MessageFilter limited;
    limited.limit = 2;
    CHECK(store->list_messages(limited)->size() == 2);
    MessageFilter by_type;
    by_type.message_type = "ADT^A01";
    CHECK(store->list_messages(by_type)->empty());
    MessageFilter since;
    since.since_micros = clock.now_micros();
    CHECK(store->list_messages(since)->size() == 5);
    MessageFilter before;  // the paging cursor: strictly older ids, still newest first
    before.before_id = (*all)[1].id;
    auto older = store->list_messages(before);
    REQUIRE(older->size() == 4);
    CHECK(older->front().id == (*all)[2].id);
  }
}

TEST_CASE("a schema-2 database migrates to the latest schema and keeps its resources") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    {
      auto store = open_or_die(b.url, clock);
      REQUIRE(store->create(testing::request("Patient", "kept")).is_ok());
    }
    // Schema 2 is schema 3 without the archive table (and 4 without the search index).
    testing::drop_tenants(b);
    raw_exec(b, "DROP TABLE hl7_message");
    testing::drop_search_index(b);
    raw_exec(b, "UPDATE schema_version SET version = 2");
    auto reached = migrate_store(b.url);
    REQUIRE_MESSAGE(reached.is_ok(), reached.status().message());
    CHECK(*reached ==
          latest_schema_version(b.postgresql ? Dialect::kPostgresql : Dialect::kSqlite));
    auto store = open_or_die(b.url, clock);
    CHECK(store->read("Patient", "kept").is_ok());
    CHECK(archive_and_wait(*store, message("m", "MSH|m")).is_ok());
  }
}

// Schema 4: raw and ack are bytes. A message in 8859/1 (not UTF-8) is stored and read back
// byte-identical, and a schema-3 archive (TEXT on PostgreSQL) keeps its rows through the
// migration.
TEST_CASE("raw messages and ACKs are bytes: 8859/1 round-trips; schema 3 -> 4 keeps rows") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    std::int64_t text_id = 0;
    {
      auto store = open_or_die(b.url, clock);
      auto stored = archive_and_wait(*store, message("utf", "MSH|M\xc3\xbcller"));
      REQUIRE(stored.is_ok());
      text_id = stored->stored.id;
    }
    if (b.name == "postgresql") {
      raw_exec(
          b, "ALTER TABLE hl7_message ALTER COLUMN raw TYPE TEXT USING convert_from(raw, 'UTF8')");
      raw_exec(
          b, "ALTER TABLE hl7_message ALTER COLUMN ack TYPE TEXT USING convert_from(ack, 'UTF8')");
      testing::drop_tenants(b);
      testing::drop_search_index(b);
      testing::drop_message_hash(b);
      raw_exec(b, "UPDATE schema_version SET version = 3");
      auto reached = migrate_store(b.url);
      REQUIRE_MESSAGE(reached.is_ok(), reached.status().message());
      CHECK(*reached ==
            latest_schema_version(b.postgresql ? Dialect::kPostgresql : Dialect::kSqlite));
    }
    auto store = open_or_die(b.url, clock);
    auto kept = store->read_message(text_id);
    REQUIRE(kept.is_ok());
    CHECK(kept->raw == "MSH|M\xc3\xbcller");
    const std::string latin1 = "MSH|M\xfcller\x80\xff\x01";
    ArchiveRequest request = message("latin", latin1);
    request.ack = "ACK \xe9";
    auto stored = archive_and_wait(*store, request);
    REQUIRE(stored.is_ok());
    auto read = store->read_message(stored->stored.id);
    REQUIRE(read.is_ok());
    CHECK(read->raw == latin1);
    CHECK(read->ack == "ACK \xe9");
    // The duplicate check compares the bytes too.
    auto again = archive_and_wait(*store, message("latin", latin1));
    REQUIRE(again.is_ok());
    CHECK(again->duplicate);
    CHECK(again->stored.ack == "ACK \xe9");
    MessageFilter all;
    auto rows = store->list_messages(all);
    REQUIRE(rows.is_ok());
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].raw.empty());  // a listing leaves the bodies out
    CHECK((*rows)[0].ack == "ACK \xe9");
    CHECK((*rows)[0].control_id == "latin");
  }
}

TEST_CASE("8 threads archiving overlapping messages: each distinct message stored once") {
  constexpr int kThreads = 8;
  constexpr int kMessages = 50;
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    auto clock = make_system_clock();
    auto store = open_or_die(b.url, *clock);
    std::atomic<int> failures{0};
    std::atomic<int> duplicates{0};
    std::vector<std::thread> threads;
    // Thread t sends messages t*25 .. t*25+49: each message is sent by one or two threads.
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kMessages; ++i) {
          const std::string id = "c" + std::to_string(t * 25 + i);
          auto out = archive_and_wait(*store, message(id, "MSH|" + id));
          if (!out.is_ok() || out->stored.status != MessageStatus::kAccepted) ++failures;
          if (out.is_ok() && out->duplicate) ++duplicates;
        }
      });
    }
    for (auto& th : threads) th.join();
    CHECK(failures.load() == 0);
    const int distinct = 25 * (kThreads - 1) + kMessages;
    CHECK(duplicates.load() == kThreads * kMessages - distinct);
    MessageFilter all;
    all.limit = 10000;
    auto rows = store->list_messages(all);
    REQUIRE(rows.is_ok());
    CHECK(static_cast<int>(rows->size()) == distinct);
    std::map<std::string, int> per_id;
    for (const auto& row : *rows) ++per_id[row.control_id];
    for (const auto& entry : per_id) CHECK_MESSAGE(entry.second == 1, entry.first);
  }
}

// Completions (SQLite: the committer thread; PostgreSQL: the archive's thread pool): every one
// runs exactly once, after the commit (the row is readable from another session when it runs), with
// duplicates and reused control ids decided as for one message at a time, even inside one batch.
TEST_CASE("archive completions: 4 threads x 200 overlapping messages, each completed once") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    auto clock = make_system_clock();
    auto store = open_or_die(b.url, *clock);
    constexpr int kThreads = 4;
    constexpr int kMessages = 200;
    std::atomic<int> completed{0}, failures{0}, duplicates{0}, unreadable{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kMessages; ++i) {
          const std::string id = "a" + std::to_string(t * 100 + i);  // overlap with t+1
          auto request = std::make_shared<ArchiveRequest>(message(id, "MSH|" + id));
          store->archive(request, [&](Result<ArchiveOutcome> out) {
            if (!out.is_ok() || out->stored.status != MessageStatus::kAccepted) {
              ++failures;
            } else {
              if (out->duplicate) ++duplicates;
              // Committed before the completion: visible to any other reader.
              if (!store->read_message(out->stored.id).is_ok()) ++unreadable;
            }
            ++completed;
          });
        }
      });
    }
    for (auto& th : threads) th.join();
    // The completions run on store threads (PostgreSQL: the archive pool): wait for them.
    for (int i = 0; i < 6000 && completed.load() < kThreads * kMessages; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(completed.load() == kThreads * kMessages);
    CHECK(failures.load() == 0);
    CHECK(unreadable.load() == 0);
    const int distinct = 100 * (kThreads - 1) + kMessages;
    CHECK(duplicates.load() == kThreads * kMessages - distinct);
    MessageFilter all;
    all.limit = 10000;
    auto rows = store->list_messages(all);
    REQUIRE(rows.is_ok());
    CHECK(static_cast<int>(rows->size()) == distinct);
  }
}

TEST_CASE("archive completions: a reused control id is flagged; closing the store drains") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    std::vector<ArchiveOutcome> outcomes(3);
    std::atomic<int> completed{0};
    const std::vector<std::string> raws = {"MSH|first", "MSH|first", "MSH|second"};
    const auto submit = [&](std::size_t i) {
      store->archive(std::make_shared<ArchiveRequest>(message("same", raws[i])),
                     [&, i](Result<ArchiveOutcome> out) {
                       REQUIRE(out.is_ok());
                       outcomes[i] = std::move(*out);
                       ++completed;
                     });
    };
    // The first must commit first: PostgreSQL's archive pool runs concurrent requests in any
    // order, and whichever commits first is the original. The other two stay queued at close.
    submit(0);
    for (int i = 0; i < 6000 && completed.load() < 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(completed.load() == 1);
    submit(1);
    submit(2);
    store.reset();  // joins the store's threads after they ran everything queued
    REQUIRE(completed.load() == 3);
    CHECK_FALSE(outcomes[0].duplicate);
    CHECK(outcomes[1].duplicate);
    CHECK(outcomes[1].stored.id == outcomes[0].stored.id);
    CHECK(outcomes[1].stored.ack == outcomes[0].stored.ack);
    CHECK(outcomes[2].stored.status == MessageStatus::kAccepted);
    CHECK(outcomes[2].control_id_reused);
    CHECK(outcomes[2].stored.note.find("already used by message " +
                                       std::to_string(outcomes[0].stored.id)) != std::string::npos);
  }
}

// An effect that fails after writing loses its writes and keeps its row as 'error'; the messages
// archived in the same commit keep theirs. (SQLite runs an archiving without a savepoint: the
// failure rolls the whole group-commit batch back and runs it again without that effect. The
// first message's effect holds the committer until the other three are queued, so those three
// are one batch.)
TEST_CASE("an effect that fails after writing is undone alone; its batch keeps the others") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    std::promise<void> queued;
    std::shared_future<void> all_queued = queued.get_future().share();
    std::atomic<int> failing_runs{0};
    const auto create = [](const std::string& id) {
      return [id](StoreTransaction& tx, std::int64_t) -> Status {
        return tx.create(testing::request("Patient", id)).status();
      };
    };
    std::vector<std::shared_ptr<ArchiveRequest>> requests;
    for (const char* id : {"m1", "m2", "m3", "m4"}) {
      requests.push_back(std::make_shared<ArchiveRequest>(message(id, std::string("MSH|") + id)));
      requests.back()->effect = create(std::string("p-") + id);
      requests.back()->effect_failed_ack = std::string("AE ") + id;
    }
    requests[0]->effect = [all_queued, create](StoreTransaction& tx, std::int64_t id) {
      all_queued.wait();
      return create("p-m1")(tx, id);
    };
    requests[2]->effect = [&failing_runs](StoreTransaction& tx, std::int64_t) -> Status {
      ++failing_runs;
      HEARTH_RETURN_IF_ERROR(tx.create(testing::request("Patient", "p-m3")).status());
      HEARTH_RETURN_IF_ERROR(tx.create(testing::request("Observation", "o-m3")).status());
      return Status(Code::kPreconditionFailed, "m3 matched two patients");
    };
    std::vector<std::promise<Result<ArchiveOutcome>>> done(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      store->archive(requests[i],
                     [&done, i](Result<ArchiveOutcome> out) { done[i].set_value(std::move(out)); });
    }
    queued.set_value();
    std::vector<Result<ArchiveOutcome>> outcomes;
    for (auto& d : done) outcomes.push_back(d.get_future().get());
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      INFO("message " << i + 1);
      REQUIRE(outcomes[i].is_ok());
      const bool failing = i == 2;
      CHECK(outcomes[i]->stored.status ==
            (failing ? MessageStatus::kError : MessageStatus::kAccepted));
      CHECK(outcomes[i]->effect_error.is_ok() == !failing);
      auto row = store->read_message(outcomes[i]->stored.id);
      REQUIRE(row.is_ok());
      CHECK(row->status == outcomes[i]->stored.status);
      CHECK(
          row->ack ==
          (failing ? "AE m3" : "ACK m" + std::to_string(i + 1) + " MSH|m" + std::to_string(i + 1)));
      CHECK(store->read("Patient", "p-m" + std::to_string(i + 1)).is_ok() == !failing);
    }
    CHECK(outcomes[2]->stored.note == "m3 matched two patients");
    CHECK(store->read("Observation", "o-m3").status().code() == Code::kNotFound);
    CHECK(failing_runs.load() == 1);  // a failed effect is not run again
    MessageFilter all;
    auto rows = store->list_messages(all);
    REQUIRE(rows.is_ok());
    CHECK(rows->size() == 4);
  }
}

}  // namespace
}  // namespace hearth::storage
