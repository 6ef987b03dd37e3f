// Store behaviour suite, searches that follow references, on every backend: chains
// (subject:Patient.name), reverse chains (_has), and the resources _include / _revinclude add.
// The resources are indexed by the real extraction (fhir::search::extract_index) and the
// queries read by the real parser, so each case states a query string and the ids it must find.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "storage/store.h"
#include "store_backends.h"
#include "store_search_support.h"

namespace hearth::storage {
namespace {

using testing::backends;
using testing::Ids;
using testing::ManualClock;
using testing::open_or_die;
using testing::Params;
using testing::parse;
using testing::search_ids;

// A resource stored with the index rows its JSON yields. `fields` follow "id".
void put(Store& store, const std::string& type, const std::string& id, const std::string& fields) {
  auto done = store.update(testing::indexed_fields(type, id, fields));
  REQUIRE_MESSAGE(done.is_ok(), done.status().message());
}

// Two patients in two organisations, their observations and an encounter; a Group subject and
// a patient with no organisation; a deleted patient that observation o4 still references.
void load(Store& store) {
  put(store, "Organization", "org1", R"("name":"Acme Health")");
  put(store, "Organization", "org2",
      R"("name":"Other Clinic","partOf":{"reference":"Organization/org1"})");
  put(store, "Patient", "p1",
      R"("name":[{"family":"Peterson"}],"gender":"male","managingOrganization":{"reference":"Organization/org1"})");
  put(store, "Patient", "p2",
      R"("name":[{"family":"Paulsen"}],"gender":"female","managingOrganization":{"reference":"Organization/org2"})");
  put(store, "Patient", "p3", R"("name":[{"family":"Peters"}],"gender":"female")");
  put(store, "Patient", "gone", R"("name":[{"family":"Peterkin"}])");
  put(store, "Group", "g1",
      R"("type":"person","actual":true,"member":[{"entity":{"reference":"Patient/p1"}}])");
  put(store, "Encounter", "e1",
      R"("status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/p1"})");
  const std::string code = R"("status":"final","code":{"coding":[{"system":"urn:c","code":")";
  put(store, "Observation", "o1",
      code +
          R"(c1"}]},"subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"})");
  put(store, "Observation", "o2", code + R"(c2"}]},"subject":{"reference":"Patient/p2"})");
  put(store, "Observation", "o3", code + R"(c1"}]},"subject":{"reference":"Group/g1"})");
  put(store, "Observation", "o4", code + R"(c3"}]},"subject":{"reference":"Patient/gone"})");
  put(store, "Observation", "o5",
      code +
          R"(c2"}]},"subject":{"reference":"Patient/p3"},"hasMember":[{"reference":"Observation/o1"}])");
  WriteRequest del;
  del.type = "Patient";
  del.id = "gone";
  REQUIRE(store.remove(del).is_ok());
}

// "Type/id" of what `directives` (the query's includes) add to `from`, sorted.
Ids included(Store& store, const std::string& type, const Params& params,
             std::vector<std::pair<std::string, std::string>> from, std::size_t limit = 100) {
  IncludeQuery q;
  q.from = std::move(from);
  q.directives = parse(type, params).includes;
  q.limit = limit;
  auto found = store.include(q);
  REQUIRE_MESSAGE(found.is_ok(), found.status().message());
  Ids out;
  for (const auto& r : *found) {
    CHECK_FALSE(r.body.empty());
    out.push_back(r.type + "/" + r.id);
  }
  return out;
}

TEST_CASE("search: chains and _has follow references in both directions") {
  struct Case {
    const char* type;
    const char* name;
    const char* value;
    Ids expected;
  };
  const std::vector<Case> cases = {
      {"Observation", "subject:Patient.name", "peterson", {"o1"}},
      {"Observation", "subject:Patient.name", "pe", {"o1", "o5"}},  // the deleted one is gone
      {"Observation", "patient.name", "paul", {"o2"}},
      {"Observation", "subject:Patient.gender", "female", {"o2", "o5"}},
      {"Observation", "subject:Group.type", "person", {"o3"}},
      {"Observation", "subject:Patient.organization.name", "acme", {"o1"}},
      {"Observation", "subject:Patient.organization.partof.name", "acme", {"o2"}},
      {"Observation", "subject:Patient._id", "p2,p3", {"o2", "o5"}},
      {"Observation", "encounter.subject:Patient.name", "peterson", {"o1"}},
      {"Observation", "has-member.code", "urn:c|c1", {"o5"}},
      {"Patient", "_has:Observation:patient:code", "c2", {"p2", "p3"}},
      {"Patient", "_has:Observation:subject:code", "c1", {"p1"}},  // o3's subject is a Group
      {"Patient", "_has:Observation:patient:code", "c3", {}},      // its subject is deleted
      {"Patient", "_has:Group:member:type", "person", {"p1"}},
      {"Patient", "_has:Observation:patient:_has:Observation:has-member:code", "c2", {"p1"}},
      {"Organization", "_has:Patient:organization:_has:Observation:patient:code", "c1", {"org1"}},
      {"Encounter", "_has:Observation:encounter:subject:Patient.name", "peterson", {"e1"}},
  };
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    load(*store);
    for (const Case& c : cases) {
      CAPTURE(c.name);
      CAPTURE(c.value);
      CHECK(search_ids(*store, c.type, {{c.name, c.value}}) == c.expected);
    }
    // A chain ANDs with the other clauses, and two chains with each other.
    CHECK(search_ids(*store, "Observation", {{"subject:Patient.name", "pe"}, {"code", "c2"}}) ==
          Ids{"o5"});
    CHECK(search_ids(*store, "Observation",
                     {{"subject:Patient.name", "pe"}, {"subject:Patient.gender", "male"}}) ==
          Ids{"o1"});
  }
}

TEST_CASE("search: _include and _revinclude select what the references reach") {
  using Keys = std::vector<std::pair<std::string, std::string>>;
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    load(*store);
    const Keys obs = {
        {"Observation", "o1"}, {"Observation", "o2"}, {"Observation", "o3"}, {"Observation", "o4"}};
    // Forward: deleted targets are left out, each target once.
    CHECK(included(*store, "Observation", {{"_include", "Observation:subject"}}, obs) ==
          Ids{"Group/g1", "Patient/p1", "Patient/p2"});
    CHECK(included(*store, "Observation", {{"_include", "Observation:subject:Patient"}}, obs) ==
          Ids{"Patient/p1", "Patient/p2"});
    CHECK(included(*store, "Observation", {{"_include", "Observation:patient"}}, obs) ==
          Ids{"Patient/p1", "Patient/p2"});
    CHECK(included(*store, "Observation", {{"_include", "*"}}, obs) ==
          Ids{"Encounter/e1", "Group/g1", "Patient/p1", "Patient/p2"});
    CHECK(included(*store, "Observation", {{"_include", "Observation:encounter"}},
                   {{"Observation", "o2"}}) == Ids{});
    // Reverse.
    const Keys patients = {{"Patient", "p1"}, {"Patient", "p3"}};
    CHECK(included(*store, "Patient", {{"_revinclude", "Observation:subject"}}, patients) ==
          Ids{"Observation/o1", "Observation/o5"});
    CHECK(included(*store, "Patient", {{"_revinclude", "Observation:*"}}, patients) ==
          Ids{"Observation/o1", "Observation/o5"});
    CHECK(included(*store, "Patient", {{"_revinclude", "*"}}, patients) ==
          Ids{"Encounter/e1", "Group/g1", "Observation/o1", "Observation/o5"});
    CHECK(included(*store, "Patient",
                   {{"_revinclude", "Observation:subject"}, {"_revinclude", "Encounter:subject"}},
                   patients) == Ids{"Encounter/e1", "Observation/o1", "Observation/o5"});
    CHECK(included(*store, "Organization", {{"_revinclude", "Organization:partof"}},
                   {{"Organization", "org1"}}) == Ids{"Organization/org2"});
    // The limit: the first rows in (type, id) order.
    CHECK(included(*store, "Patient", {{"_revinclude", "*"}}, patients, 2) ==
          Ids{"Encounter/e1", "Group/g1"});
    // Nothing to start from, or a directive that applies to none of it.
    CHECK(included(*store, "Patient", {{"_revinclude", "*"}}, {}) == Ids{});
    CHECK(included(*store, "Observation", {{"_include", "Observation:subject"}},
                   {{"Patient", "p1"}}) == Ids{});
  }
}

}  // namespace
}  // namespace hearth::storage
