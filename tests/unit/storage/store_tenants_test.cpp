// Tenants (docs/tenancy.md): two tenants hold the same ids, names and identifiers, and every
// read and search form of one (read, vread, history at each level, searches with chains, _has,
// _include and _revinclude, transactions, conditional criteria, the message archive) sees its
// own rows only. Also: a store of schema 17 (before tenants) migrates with its data in tenant "".
#include <doctest/doctest.h>

#include <algorithm>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "core/tenant_scope.h"
#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "storage/store.h"
#include "store_backends.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::ManualClock;
using testing::open_or_die;
using testing::raw_exec;
using Params = std::vector<std::pair<std::string, std::string>>;
using Ids = std::vector<std::string>;

WriteRequest indexed(const std::string& type, const std::string& id, const std::string& fields) {
  return testing::indexed_fields(type, id, fields);
}

void put(Store& store, const std::string& type, const std::string& id, const std::string& fields) {
  auto done = store.update(indexed(type, id, fields));
  REQUIRE_MESSAGE(done.is_ok(), done.status().message());
}

std::string patient(const std::string& family, const std::string& identifier) {
  return R"("name":[{"family":")" + family + R"("}],"identifier":[{"system":"urn:x","value":")" +
         identifier + R"("}])";
}
std::string observation(const std::string& code, const std::string& subject) {
  return R"("status":"final","code":{"coding":[{"system":"urn:c","code":")" + code +
         R"("}]},"subject":{"reference":"Patient/)" + subject + R"("})";
}

// Tenant "a": Patient/p1 Adams (identifier 1), Observation/o1 (c1) about p1.
// Tenant "b": Patient/p1 Baker (identifier 1, the same as a's), Patient/p2 Adams (identifier 2),
// Observation/o1 (c2) about p1, Observation/o2 (c1) about p2, Observation/o9 (c9) about p1.
// Each leak shows: a chain, _has or include crossing over would find the other tenant's rows.
void load(Store& store) {
  {
    const TenantScope scope("a");
    put(store, "Patient", "p1", patient("Adams", "1"));
    put(store, "Observation", "o1", observation("c1", "p1"));
  }
  const TenantScope scope("b");
  put(store, "Patient", "p1", patient("Baker", "1"));
  put(store, "Patient", "p2", patient("Adams", "2"));
  put(store, "Observation", "o1", observation("c2", "p1"));
  put(store, "Observation", "o2", observation("c1", "p2"));
  put(store, "Observation", "o9", observation("c9", "p1"));
}

fhir::search::SearchQuery parse(const std::string& type, const Params& params) {
  auto q = fhir::search::parse_search(type, params, "http://h/fhir", true);
  REQUIRE_MESSAGE(q.is_ok(), q.status().message());
  return std::move(*q);
}

Ids ids_of(const std::vector<ResourceVersion>& rows) {
  Ids out;
  for (const auto& r : rows) out.push_back(r.type + "/" + r.id);
  std::sort(out.begin(), out.end());
  return out;
}

Ids search(ResourceReader& reader, const std::string& type, const Params& params) {
  auto page = reader.search(parse(type, params));
  REQUIRE_MESSAGE(page.is_ok(), page.status().message());
  return ids_of(page->entries);
}

Ids include(ResourceReader& reader, const std::string& type, const Params& params,
            std::vector<std::pair<std::string, std::string>> from) {
  IncludeQuery q;
  q.from = std::move(from);
  q.directives = parse(type, params).includes;
  q.limit = 100;
  auto found = reader.include(q);
  REQUIRE_MESSAGE(found.is_ok(), found.status().message());
  return ids_of(*found);
}

Ids history(Store& store, const std::string& type, const std::string& id) {
  HistoryQuery q;
  q.type = type;
  q.id = id;
  auto page = store.history(q);
  REQUIRE_MESSAGE(page.is_ok(), page.status().message());
  CHECK(page->total == static_cast<std::int64_t>(page->entries.size()));
  return ids_of(page->entries);
}

ArchiveRequest lab_message(std::string control_id) {
  ArchiveRequest message;
  message.sender = "LAB";
  message.message_type = "ORU^R01";
  message.raw = "MSH|^~\\&|LAB|||||||ORU^R01|" + control_id + "|P|2.5";
  message.control_id = std::move(control_id);
  message.ack = "ACK";
  return message;
}

std::string family_of(ResourceReader& reader, const std::string& id) {
  auto row = reader.read("Patient", id);
  if (!row.is_ok()) return row.status().code() == Code::kNotFound ? "(not found)" : "(error)";
  return row->body.find("Adams") != std::string::npos ? "Adams" : "Baker";
}

TEST_CASE("tenants: every read and search form sees its own tenant's rows only") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    load(*store);
    {
      const TenantScope scope("a");
      CHECK(family_of(*store, "p1") == "Adams");
      CHECK(family_of(*store, "p2") == "(not found)");
      CHECK(store->vread("Patient", "p2", 1).status().code() == Code::kNotFound);
      CHECK(search(*store, "Patient", {{"family", "adams"}}) == Ids{"Patient/p1"});
      CHECK(search(*store, "Patient", {{"identifier", "urn:x|1"}}) == Ids{"Patient/p1"});
      CHECK(search(*store, "Patient", {{"identifier", "urn:x|2"}}) == Ids{});
      CHECK(search(*store, "Patient", {}) == Ids{"Patient/p1"});
      CHECK(search(*store, "", {{"_type", "Patient,Observation"}}) ==
            Ids{"Observation/o1", "Patient/p1"});
      CHECK(search(*store, "Observation", {{"subject:Patient.name", "baker"}}) == Ids{});
      CHECK(search(*store, "Observation", {{"subject:Patient.name", "adams"}}) ==
            Ids{"Observation/o1"});
      CHECK(search(*store, "Patient", {{"_has:Observation:subject:code", "c9"}}) == Ids{});
      CHECK(search(*store, "Patient", {{"_has:Observation:subject:code", "c1"}}) ==
            Ids{"Patient/p1"});
      CHECK(search(*store, "Observation", {{"code", "c2"}}) == Ids{});
      CHECK(include(*store, "Observation", {{"_include", "Observation:subject"}},
                    {{"Observation", "o1"}, {"Observation", "o2"}}) == Ids{"Patient/p1"});
      CHECK(include(*store, "Observation", {{"_include", "*"}}, {{"Observation", "o9"}}) == Ids{});
      CHECK(include(*store, "Patient", {{"_revinclude", "*"}}, {{"Patient", "p1"}}) ==
            Ids{"Observation/o1"});
      CHECK(include(*store, "Patient", {{"_revinclude", "Observation:subject"}},
                    {{"Patient", "p1"}, {"Patient", "p2"}}) == Ids{"Observation/o1"});
      CHECK(history(*store, "Patient", "p1") == Ids{"Patient/p1"});
      CHECK(history(*store, "Patient", "") == Ids{"Patient/p1"});
      CHECK(history(*store, "", "") == Ids{"Observation/o1", "Patient/p1"});
    }
    {
      const TenantScope scope("b");
      CHECK(family_of(*store, "p1") == "Baker");
      CHECK(search(*store, "Patient", {{"family", "adams"}}) == Ids{"Patient/p2"});
      CHECK(search(*store, "Patient", {{"identifier", "urn:x|1"}}) == Ids{"Patient/p1"});
      CHECK(search(*store, "Observation", {{"subject:Patient.name", "adams"}}) ==
            Ids{"Observation/o2"});
      CHECK(search(*store, "Patient", {{"_has:Observation:subject:code", "c1"}}) ==
            Ids{"Patient/p2"});
      CHECK(include(*store, "Observation", {{"_include", "Observation:subject"}},
                    {{"Observation", "o1"}}) == Ids{"Patient/p1"});
      CHECK(include(*store, "Patient", {{"_revinclude", "*"}}, {{"Patient", "p1"}}) ==
            Ids{"Observation/o1", "Observation/o9"});
      CHECK(history(*store, "", "").size() == 5);
    }
    // The tenant of a thread that installed none is "", where nothing was written.
    CHECK(family_of(*store, "p1") == "(not found)");
    CHECK(search(*store, "Patient", {}) == Ids{});
  }
}

TEST_CASE("tenants: writes, version checks and transactions stay within the tenant") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    load(*store);
    {
      const TenantScope scope("a");
      // The same new id in two tenants: two resources, no conflict.
      CHECK(store->create(indexed("Patient", "new", patient("Adams", "3"))).is_ok());
      // b's p1 is at version 1 too; a's update moves a's only.
      WriteRequest update = indexed("Patient", "p1", patient("Adams", "1"));
      update.expected_version = 1;
      auto updated = store->update(update);
      REQUIRE(updated.is_ok());
      CHECK(updated->stored.version == 2);
      // Deleting what only b has changes nothing.
      WriteRequest gone;
      gone.type = "Patient";
      gone.id = "p2";
      auto removed = store->remove(gone);
      REQUIRE(removed.is_ok());
      CHECK(removed->kind == WriteKind::kNoChange);
      // A transaction: its reads, searches (conditional criteria) and references resolve in a.
      Status done = store->transact([](StoreTransaction& tx) -> Status {
        CHECK(tx.read("Patient", "p2").status().code() == Code::kNotFound);
        CHECK(family_of(tx, "p1") == "Adams");
        CHECK(search(tx, "Patient", {{"identifier", "urn:x|2"}}) == Ids{});  // b's only
        HEARTH_RETURN_IF_ERROR(
            tx.create(indexed("Observation", "t1", observation("c7", "p2"))).status());
        CHECK(search(tx, "Observation", {{"subject:Patient.name", "adams"}}) ==
              Ids{"Observation/o1"});  // t1's p2 is no patient of a
        return Status::ok();
      });
      CHECK(done.is_ok());
      // The completion form (the group commit on SQLite) writes in the caller's tenant.
      std::promise<Result<WriteOutcome>> promise;
      store->write(WriteOp::kCreate, indexed("Patient", "queued", patient("Queue", "9")),
                   [&promise](Result<WriteOutcome> out) { promise.set_value(std::move(out)); });
      CHECK(promise.get_future().get().is_ok());
      CHECK(search(*store, "Patient", {{"identifier", "urn:x|9"}}) == Ids{"Patient/queued"});
    }
    {
      const TenantScope scope("b");
      CHECK(store->create(indexed("Patient", "new", patient("Baker", "3"))).is_ok());
      CHECK(store->create(indexed("Patient", "new", patient("Baker", "3"))).status().code() ==
            Code::kConflict);
      auto p1 = store->read("Patient", "p1");
      REQUIRE(p1.is_ok());
      CHECK(p1->version == 1);
      CHECK(family_of(*store, "p2") == "Adams");
      CHECK(search(*store, "Observation", {{"code", "c7"}}) == Ids{});
      CHECK(search(*store, "Patient", {{"identifier", "urn:x|9"}}) == Ids{});
      CHECK(search(*store, "Patient", {{"identifier", "urn:x|3"}}) == Ids{"Patient/new"});
      CHECK(history(*store, "Patient", "new") == Ids{"Patient/new"});
    }
    const TenantScope scope("a");
    CHECK(history(*store, "Patient", "p1") == Ids{"Patient/p1", "Patient/p1"});
    CHECK(search(*store, "Patient", {{"identifier", "urn:x|3"}}) == Ids{"Patient/new"});
    CHECK(family_of(*store, "new") == "Adams");
  }
}

TEST_CASE("tenants: archived messages and their resends belong to one tenant") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    const ArchiveRequest message = lab_message("42");
    std::int64_t id = 0;
    {
      const TenantScope scope("a");
      auto first = testing::archive_and_wait(*store, message);
      REQUIRE(first.is_ok());
      CHECK_FALSE(first->duplicate);
      id = first->stored.id;
      CHECK(store->read_message(id).is_ok());
    }
    const TenantScope scope("b");
    CHECK(store->read_message(id).status().code() == Code::kNotFound);
    auto listed = store->list_messages({});
    REQUIRE(listed.is_ok());
    CHECK(listed->empty());
    // The same message in b is b's first, not a resend of a's.
    auto again = testing::archive_and_wait(*store, message);
    REQUIRE(again.is_ok());
    CHECK_FALSE(again->duplicate);
    CHECK_FALSE(again->control_id_reused);
  }
}

TEST_CASE("tenants: a schema-17 store migrates with its data in tenant \"\"") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    {
      auto store = open_or_die(b.url, clock);
      put(*store, "Patient", "p1", patient("Adams", "1"));
      put(*store, "Patient", "p1", patient("Adams", "1"));
      put(*store, "Observation", "o1", observation("c1", "p1"));
      REQUIRE(testing::archive_and_wait(*store, lab_message("7")).is_ok());
    }
    testing::drop_tenants(b);
    raw_exec(b, "UPDATE schema_version SET version = 17");
    auto store = open_or_die(b.url, clock);
    auto p1 = store->read("Patient", "p1");
    REQUIRE(p1.is_ok());
    CHECK(p1->version == 2);
    CHECK(history(*store, "Patient", "p1") == Ids{"Patient/p1", "Patient/p1"});
    CHECK(search(*store, "Observation", {{"subject:Patient.name", "adams"}}) ==
          Ids{"Observation/o1"});
    CHECK(search(*store, "Patient", {{"identifier", "urn:x|1"}}) == Ids{"Patient/p1"});
    auto listed = store->list_messages({});
    REQUIRE(listed.is_ok());
    CHECK(listed->size() == 1);
    // The old rows are tenant "" 's: another tenant starts empty, and writes the same ids.
    const TenantScope scope("other");
    CHECK(store->read("Patient", "p1").status().code() == Code::kNotFound);
    put(*store, "Patient", "p1", patient("Baker", "1"));
    CHECK(search(*store, "Patient", {{"identifier", "urn:x|1"}}) == Ids{"Patient/p1"});
    CHECK(family_of(*store, "p1") == "Baker");
  }
}

}  // namespace
}  // namespace hearth::storage
