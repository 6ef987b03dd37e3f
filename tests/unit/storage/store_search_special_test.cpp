// Store behaviour suite, the parameters that are more than one plain value, on every backend:
// composites (search.html#composite), whose parts must match within one element (one
// Observation.component), never across two, and phonetic (sound-alike names). The resources are
// indexed by the real extraction and the queries read by the real parser, so each case states a
// query string and the ids it must find.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "fhir/search/search_query.h"
#include "storage/sql/text_index.h"
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
using testing::search_ids;
using testing::sqlite_scalar;

// A resource stored (created or replaced) with the index rows its JSON yields.
void put(Store& store, const std::string& type, const std::string& id, const std::string& fields) {
  auto done = store.update(testing::indexed_fields(type, id, fields));
  REQUIRE_MESSAGE(done.is_ok(), done.status().message());
}

std::string code(const char* system, const char* value) {
  return std::string(R"({"coding":[{"system":")") + system + R"(","code":")" + value + "\"}]}";
}

std::string quantity(const char* value, const char* unit) {
  return std::string(R"({"value":)") + value + R"(,"system":"http://unitsofmeasure.org","code":")" +
         unit + "\"}";
}

std::string blood_pressure(const char* systolic, const char* diastolic) {
  return R"("status":"final","code":)" + code("http://loinc.org", "85354-9") +
         R"(,"component":[{"code":)" + code("http://loinc.org", "8480-6") + R"(,"valueQuantity":)" +
         quantity(systolic, "mm[Hg]") + R"(},{"code":)" + code("http://loinc.org", "8462-4") +
         R"(,"valueQuantity":)" + quantity(diastolic, "mm[Hg]") + "}]";
}

std::string weight(const char* kg) {
  return R"("status":"final","code":)" + code("http://loinc.org", "29463-7") +
         R"(,"valueQuantity":)" + quantity(kg, "kg");
}

void load(Store& store) {
  put(store, "Observation", "bp1", blood_pressure("120", "80"));
  put(store, "Observation", "bp2", blood_pressure("150", "95"));
  put(store, "Observation", "w1", weight("70"));
  put(store, "Observation", "w2", weight("90"));
  put(store, "Observation", "smoker",
      R"("status":"final","code":)" + code("urn:c", "smoke") + R"(,"valueCodeableConcept":)" +
          code("urn:v", "yes"));
  put(store, "Observation", "note",
      R"("status":"final","code":)" + code("urn:c", "note") + R"(,"valueString":"Hello World")");
  put(store, "Observation", "onset",
      R"("status":"final","code":)" + code("urn:c", "onset") + R"(,"valueDateTime":"2020-05-01")");
  put(store, "Library", "lib1",
      R"("status":"active","type":)" + code("urn:t", "logic-library") +
          R"(,"useContext":[{"code":{"system":"urn:u","code":"focus"},"valueCodeableConcept":)" +
          code("urn:x", "diabetes") +
          R"(},{"code":{"system":"urn:u","code":"age"},"valueQuantity":)" + quantity("65", "a") +
          "}]");
  put(store, "DocumentReference", "doc2",
      R"("status":"current","content":[{"attachment":{"url":"http://x/2"}}],)"
      R"("relatesTo":[{"code":"replaces","target":{"reference":"DocumentReference/doc1"}}])");
  // chromosome-variant-coordinate takes the chromosome from %resource.referenceSeq.
  put(store, "MolecularSequence", "seq1",
      R"("coordinateSystem":1,"referenceSeq":{"chromosome":)" + code("urn:chr", "1") +
          R"(,"windowStart":100,"windowEnd":500},"variant":[{"start":120,"end":121},)"
          R"({"start":300,"end":310}])");
}

TEST_CASE("search: composite parameters match their parts within one element") {
  struct Case {
    const char* type;
    const char* name;
    const char* value;
    Ids expected;
  };
  const std::vector<Case> cases = {
      {"Observation", "component-code-value-quantity", "http://loinc.org|8480-6$gt140", {"bp2"}},
      {"Observation", "component-code-value-quantity", "8480-6$gt100", {"bp1", "bp2"}},
      {"Observation", "component-code-value-quantity", "8462-4$lt90", {"bp1"}},
      // bp1's diastolic is under 90, but its systolic component is not: no match across parts.
      {"Observation", "component-code-value-quantity", "8480-6$lt90", {}},
      {"Observation",
       "component-code-value-quantity",
       "8462-4$95|http://unitsofmeasure.org|mm[Hg]",
       {"bp2"}},
      {"Observation", "component-code-value-quantity", "8462-4$95||kg", {}},
      {"Observation", "code-value-quantity", "http://loinc.org|29463-7$70", {"w1"}},
      {"Observation", "code-value-quantity", "29463-7$gt80,29463-7$lt50", {"w2"}},
      {"Observation", "code-value-quantity", "85354-9$gt0", {}},  // the panel has no value
      {"Observation", "combo-code-value-quantity", "29463-7$gt80", {"w2"}},
      {"Observation", "combo-code-value-quantity", "8480-6$gt140", {"bp2"}},
      {"Observation", "code-value-concept", "urn:c|smoke$urn:v|yes", {"smoker"}},
      {"Observation", "code-value-concept", "smoke$no", {}},
      {"Observation", "combo-code-value-concept", "smoke$yes", {"smoker"}},
      // A combo reads the groups of its parts (code-value-quantity, component-code-value-...),
      // never those of a composite over the same element with another value: a concept's,
      // string's or date's second component is no quantity of 0, a quantity's unit no concept.
      {"Observation", "combo-code-value-quantity", "smoke$0", {}},
      {"Observation", "combo-code-value-quantity", "onset$lt1", {}},
      {"Observation", "combo-code-value-concept", "29463-7$kg", {}},
      {"Observation", "combo-code-value-quantity:missing", "false", {"bp1", "bp2", "w1", "w2"}},
      {"Observation", "combo-code-value-concept:missing", "false", {"smoker"}},
      {"Observation", "code-value-string", "note$hello", {"note"}},
      {"Observation", "code-value-string", "smoke$hello", {}},
      {"Observation", "code-value-date", "onset$ge2020-01-01", {"onset"}},
      {"Observation", "code-value-date", "onset$lt2020", {}},
      {"Observation", "code-value-quantity:missing", "false", {"w1", "w2"}},
      {"Library", "context-type-value", "urn:u|focus$urn:x|diabetes", {"lib1"}},
      {"Library", "context-type-value", "age$diabetes", {}},
      {"Library", "context-type-quantity", "age$ge65", {"lib1"}},
      {"Library", "context-type-quantity", "focus$ge65", {}},
      {"MolecularSequence", "chromosome-variant-coordinate", "urn:chr|1$gt200$lt320", {"seq1"}},
      // Each variant alone: 120..121 and 300..310; none starts after 200 and ends before 300.
      {"MolecularSequence", "chromosome-variant-coordinate", "1$gt200$lt300", {}},
      {"MolecularSequence", "chromosome-window-coordinate", "1$100$500", {"seq1"}},
      // R4 swaps this one's component expressions; read crosswise (fhir/search/composite.h).
      {"DocumentReference", "relationship", "DocumentReference/doc1$replaces", {"doc2"}},
      {"DocumentReference", "relationship", "doc1$transforms", {}},
  };
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    load(*store);
    for (const Case& c : cases) {
      const std::string query = std::string(c.name) + "=" + c.value;
      CAPTURE(query);
      const Ids found = search_ids(*store, c.type, {{c.name, c.value}});
      std::string got;
      for (const std::string& id : found) got += id + " ";
      CAPTURE(got);
      CHECK(found == c.expected);
    }
    // ANDed with other clauses and with each other.
    CHECK(search_ids(*store, "Observation",
                     {{"component-code-value-quantity", "8480-6$gt100"},
                      {"component-code-value-quantity", "8462-4$gt90"}}) == Ids{"bp2"});
    CHECK(search_ids(*store, "Observation",
                     {{"combo-code-value-quantity", "8480-6$gt100"}, {"_id", "bp1,w1"}}) ==
          Ids{"bp1"});
    // An update replaces the rows; a delete removes them.
    put(*store, "Observation", "w1", weight("95"));
    CHECK(search_ids(*store, "Observation", {{"code-value-quantity", "29463-7$gt80"}}) ==
          Ids{"w1", "w2"});
    WriteRequest del;
    del.type = "Observation";
    del.id = "w2";
    REQUIRE(store->remove(del).is_ok());
    CHECK(search_ids(*store, "Observation", {{"code-value-quantity", "29463-7$gt80"}}) ==
          Ids{"w1"});
  }
}

TEST_CASE("search: phonetic matches names that sound alike, and nothing else") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    put(*store, "Patient", "p1", R"("name":[{"family":"Smith","given":["Robert"]}])");
    put(*store, "Patient", "p2", R"("name":[{"family":"Smyth","given":["Rupert","Jon"]}])");
    put(*store, "Patient", "p3", R"("name":[{"family":"van Dyke","given":["Ann"]}])");
    put(*store, "Patient", "p4", R"("name":[{"family":"Schmidt"}])");    // S530, as Smith
    put(*store, "Patient", "p5", R"("name":[{"family":"Schneider"}])");  // S536
    put(*store, "Practitioner", "d1", R"("name":[{"family":"Smithe"}])");
    CHECK(search_ids(*store, "Patient", {{"phonetic", "smith"}}) == Ids{"p1", "p2", "p4"});
    CHECK(search_ids(*store, "Patient", {{"phonetic", "Robbert"}}) == Ids{"p1", "p2"});
    CHECK(search_ids(*store, "Patient", {{"phonetic", "John"}}) == Ids{"p2"});
    CHECK(search_ids(*store, "Patient", {{"phonetic", "Dike"}}) == Ids{"p3"});
    CHECK(search_ids(*store, "Patient", {{"phonetic", "vandyke"}}) == Ids{"p3"});
    CHECK(search_ids(*store, "Patient", {{"phonetic", "Snyder"}}) == Ids{"p5"});
    CHECK(search_ids(*store, "Patient", {{"phonetic", "Jones"}}).empty());
    CHECK(search_ids(*store, "Practitioner", {{"phonetic", "smith"}}) == Ids{"d1"});
    // The keys are not names: a name search never meets them, nor a key a phonetic search.
    CHECK(search_ids(*store, "Patient", {{"name", "S530"}}).empty());
    CHECK(search_ids(*store, "Patient", {{"phonetic", "smith"}, {"given", "rup"}}) == Ids{"p2"});
  }
}

TEST_CASE("search: migrating a schema-12 database fills the composite rows and the dictionary") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    INFO("backend: " << b.name);
    ManualClock clock;
    {
      auto store = open_or_die(b.url, clock);
      put(*store, "Observation", "w1", weight("70"));
      put(*store, "Patient", "p1", R"("name":[{"family":"Smith"}])");
    }
    testing::raw_exec(b, "DROP TABLE idx_composite");
    testing::raw_exec(b, "DROP TABLE phonetic_name");
    testing::raw_exec(b, "DROP TABLE idx_text");
    testing::drop_text_words(b);
    testing::drop_tenants(b);
    testing::raw_exec(b, "UPDATE schema_version SET version = 12");
    auto reached = migrate_store(b.url);
    REQUIRE_MESSAGE(reached.is_ok(), reached.status().message());
    auto store = open_or_die(b.url, clock);
    CHECK(search_ids(*store, "Observation", {{"code-value-quantity", "29463-7$70"}}) == Ids{"w1"});
    CHECK(search_ids(*store, "Patient", {{"phonetic", "smyth"}}) == Ids{"p1"});
    CHECK(search_ids(*store, "Patient", {{"_content", "smith"}}) == Ids{"p1"});
  }
}

TEST_CASE("search: UCUM quantities match in canonical units, others as written") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    auto lab = [&](const char* id, const char* value, const char* unit) {
      put(*store, "Observation", id,
          R"("status":"final","code":)" + code("http://loinc.org", "2345-7") +
              R"(,"valueQuantity":)" + quantity(value, unit));
    };
    lab("mg", "5.4", "mg");
    lab("ug", "5400", "ug");
    lab("g", "0.0054", "g");
    lab("kg", "70", "kg");
    lab("lb", "154.3", "[lb_av]");  // 69.99 kg
    lab("glu", "100", "mg/dL");
    lab("mmol", "5.5", "mmol/L");
    lab("cel", "37", "Cel");  // special: no canonical row
    put(*store, "Observation", "other",
        R"("status":"final","code":)" + code("http://loinc.org", "2345-7") +
            R"(,"valueQuantity":{"value":5.4,"system":"http://other","code":"mg"})");
    const std::string ucum = "|http://unitsofmeasure.org|";
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "5.4" + ucum + "mg"}}) ==
          Ids{"g", "mg", "ug"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "5400" + ucum + "ug"}}) ==
          Ids{"g", "mg", "ug"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "gt5" + ucum + "g"}}) ==
          Ids{"kg", "lb"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "ge70" + ucum + "kg"}}) ==
          Ids{"kg"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "ap70" + ucum + "kg"}}) ==
          Ids{"kg", "lb"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "1" + ucum + "g/L"}}) ==
          Ids{"glu"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "5500" + ucum + "umol/L"}}) ==
          Ids{"mmol"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "37" + ucum + "Cel"}}) ==
          Ids{"cel"});
    // Another system, or none: the values as written; never the canonical rows.
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "5.4|http://other|mg"}}) ==
          Ids{"other"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "5.4"}}) == Ids{"mg", "other"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "0.0054"}}) == Ids{"g"});
    CHECK(search_ids(*store, "Observation", {{"value-quantity", "5.4||mg"}}) == Ids{"mg", "other"});
    // Composite parts convert too.
    CHECK(
        search_ids(*store, "Observation", {{"code-value-quantity", "2345-7$5.4" + ucum + "mg"}}) ==
        Ids{"g", "mg", "ug"});
  }
}

TEST_CASE("search: _text reads the narrative, _content every string of the resource") {
  for (const auto& b : backends()) {
    INFO("backend: " << b.name);
    ManualClock clock;
    auto store = open_or_die(b.url, clock);
    put(*store, "Patient", "p1",
        R"("text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">)"
        R"(<p>Allergic to <b>penicillin</b> &amp; caf&#233;ine</p></div>"},)"
        R"("name":[{"family":"Chalmers","given":["Peter"]}])");
    put(*store, "Patient", "p2",
        R"("text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">)"
        R"(Peter's file</div>"},"name":[{"family":"M\u00fcller"}],)"
        R"("address":[{"city":"Penicillin Springs"}])");
    put(*store, "Observation", "o1",
        R"("status":"final","code":{"text":"Body weight"},"valueString":"stable")");
    const auto check_words = [&] {
      // _text: the narrative's words, tags dropped and references decoded; folded as strings.
      CHECK(search_ids(*store, "Patient", {{"_text", "PENICILLIN"}}) == Ids{"p1"});
      CHECK(search_ids(*store, "Patient", {{"_text", "caféine"}}) == Ids{"p1"});
      CHECK(search_ids(*store, "Patient", {{"_text", "cafeine allergic"}}) == Ids{"p1"});
      CHECK(search_ids(*store, "Patient", {{"_text", "peter"}}) == Ids{"p2"});
      CHECK(search_ids(*store, "Patient", {{"_text", "chalmers"}}).empty());  // not narrative
      CHECK(search_ids(*store, "Patient", {{"_text", "div"}}).empty());       // a tag, not text
      CHECK(search_ids(*store, "Patient", {{"_text", "penicillin file"}}).empty());  // all words
      CHECK(search_ids(*store, "Patient", {{"_text", "penicillin,file"}}) == Ids{"p1", "p2"});
      // Words, not prefixes, nor parts of words.
      CHECK(search_ids(*store, "Patient", {{"_text", "penic"}}).empty());
      CHECK(search_ids(*store, "Patient", {{"_text", "llergic"}}).empty());
      // _content: every string (the narrative's words too), accents folded.
      CHECK(search_ids(*store, "Patient", {{"_content", "penicillin"}}) == Ids{"p1", "p2"});
      CHECK(search_ids(*store, "Patient", {{"_content", "mueller,MULLER"}}) == Ids{"p2"});
      CHECK(search_ids(*store, "Patient", {{"_content", "chalmers peter"}}) == Ids{"p1"});
      CHECK(search_ids(*store, "Patient", {{"_content", "generated"}}) == Ids{"p1", "p2"});
      CHECK(search_ids(*store, "Patient", {{"_content", "weight"}}).empty());  // another type
      CHECK(search_ids(*store, "Observation", {{"_content", "weight stable"}}) == Ids{"o1"});
      // ANDed with other clauses; in a system search.
      CHECK(search_ids(*store, "Patient", {{"_content", "peter"}, {"family", "mul"}}) == Ids{"p2"});
      CHECK(search_ids(*store, "", {{"_content", "stable,chalmers"}}) == Ids{"o1", "p1"});
    };
    // SQLite: the rows are still pending (text_index.h), searched by their words.
    if (!b.postgresql && b.persistent) {
      CHECK(sqlite_scalar(b.sqlite_path, "SELECT count(*) FROM idx_text_pending") == 3);
    }
    check_words();
    // Enough writes for the session to move the pending rows into the FTS5 index; the same
    // answers from there.
    for (int i = 0; i < storage::detail::kTextDrainRows; ++i) {
      put(*store, "Basic", "filler" + std::to_string(i), R"("code":{"text":"filler"})");
    }
    if (!b.postgresql && b.persistent) {
      CHECK(sqlite_scalar(b.sqlite_path,
                          "SELECT count(*) FROM idx_text_pending WHERE rid IN (SELECT rid FROM"
                          " resource WHERE res_id IN ('p1', 'p2', 'o1'))") == 0);
      CHECK(sqlite_scalar(b.sqlite_path,
                          "SELECT (SELECT count(*) FROM idx_text_words) +"
                          " (SELECT count(*) FROM idx_text_pending)") ==
            storage::detail::kTextDrainRows + 3);
    }
    check_words();
    static_assert(storage::detail::kTextDrainRows <= fhir::search::kMaxCount);  // one page
    CHECK(search_ids(*store, "Basic", {{"_content", "filler"}, {"_count", "1000"}}).size() ==
          static_cast<std::size_t>(storage::detail::kTextDrainRows));
    // An update replaces the words (an indexed row leaves the FTS5 index, its new one is
    // pending); a delete removes them.
    put(*store, "Patient", "p1", R"("name":[{"family":"Chalmers"}])");
    CHECK(search_ids(*store, "Patient", {{"_text", "penicillin"}}).empty());
    CHECK(search_ids(*store, "Patient", {{"_content", "peter"}}) == Ids{"p2"});
    CHECK(search_ids(*store, "Patient", {{"_content", "chalmers"}}) == Ids{"p1"});
    put(*store, "Patient", "p1", R"("name":[{"family":"Chalmers","given":["Ann"]}])");
    CHECK(search_ids(*store, "Patient", {{"_content", "chalmers ann"}}) == Ids{"p1"});
    WriteRequest del;
    del.type = "Patient";
    del.id = "p2";
    REQUIRE(store->remove(del).is_ok());
    CHECK(search_ids(*store, "Patient", {{"_content", "peter,penicillin"}}).empty());
    if (!b.postgresql && b.persistent) {
      CHECK(sqlite_scalar(b.sqlite_path,
                          "SELECT (SELECT count(*) FROM idx_text_words) +"
                          " (SELECT count(*) FROM idx_text_pending)") ==
            storage::detail::kTextDrainRows + 2);
      // With the pending rows moved, FTS5's own check of its index against the words (external
      // content): deleted rows left it with the words they were indexed with.
      store.reset();
      testing::raw_exec(b,
                        "INSERT INTO idx_text_words SELECT rid, words FROM idx_text_pending;"
                        " INSERT INTO idx_text (rowid, words) SELECT rid, words FROM"
                        " idx_text_pending; DELETE FROM idx_text_pending;"
                        " INSERT INTO idx_text (idx_text) VALUES ('integrity-check')");
    }
  }
}

TEST_CASE("search: schema 17 rebuilds the full-text index of schema 16 with hearth_words") {
  for (const auto& b : backends(/*persistent_only=*/true)) {
    if (b.postgresql) continue;  // a SQLite step: PostgreSQL's tsvectors have no tokenizer
    INFO("backend: " << b.name);
    ManualClock clock;
    {
      auto store = open_or_die(b.url, clock);
      put(*store, "Patient", "p1",
          R"("text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">)"
          R"(Allergic to penicillin</div>"},"name":[{"family":"Chalmers"}])");
      for (int i = 0; i < storage::detail::kTextDrainRows; ++i) {
        put(*store, "Basic", "filler" + std::to_string(i), R"("code":{"text":"filler"})");
      }
      put(*store, "Patient", "p2", R"("name":[{"family":"Windsor"}])");
    }
    // The index as schema 16 built it: FTS5's ascii tokenizer over the same words.
    testing::drop_tenants(b);
    testing::raw_exec(b,
                      "DROP TABLE idx_text; CREATE VIRTUAL TABLE idx_text USING fts5(words,"
                      " content='idx_text_words', content_rowid='rid', detail=none,"
                      " columnsize=0, tokenize=\"ascii tokenchars '_'\");"
                      " INSERT INTO idx_text (idx_text) VALUES ('rebuild');"
                      " UPDATE schema_version SET version = 16");
    CHECK(sqlite_scalar(b.sqlite_path,
                        "SELECT count(*) FROM sqlite_master WHERE name = 'idx_text'"
                        " AND sql LIKE '%hearth_words%'") == 0);
    auto reached = migrate_store(b.url);
    REQUIRE_MESSAGE(reached.is_ok(), reached.status().message());
    CHECK(sqlite_scalar(b.sqlite_path,
                        "SELECT count(*) FROM sqlite_master WHERE name = 'idx_text'"
                        " AND sql LIKE '%hearth_words%'") == 1);
    CHECK(sqlite_scalar(b.sqlite_path, "SELECT v FROM idx_text_config WHERE k = 'automerge'") ==
          16);
    // The 256th write moved every row into the index; the last filler and p2 stay pending.
    CHECK(sqlite_scalar(b.sqlite_path, "SELECT count(*) FROM idx_text_pending") == 2);
    auto store = open_or_die(b.url, clock);
    CHECK(search_ids(*store, "Patient", {{"_text", "penicillin"}}) == Ids{"p1"});
    CHECK(search_ids(*store, "Patient", {{"_text", "chalmers"}}).empty());
    CHECK(search_ids(*store, "Patient", {{"_content", "chalmers allergic"}}) == Ids{"p1"});
    CHECK(search_ids(*store, "Patient", {{"_content", "windsor"}}) == Ids{"p2"});
    static_assert(storage::detail::kTextDrainRows <= fhir::search::kMaxCount);  // one page
    CHECK(search_ids(*store, "Basic", {{"_content", "filler"}, {"_count", "1000"}}).size() ==
          static_cast<std::size_t>(storage::detail::kTextDrainRows));
    // An indexed row replaced through the new tokenizer leaves no stale word behind.
    put(*store, "Patient", "p1", R"("name":[{"family":"Chalmers"}])");
    CHECK(search_ids(*store, "Patient", {{"_text", "penicillin"}}).empty());
    store.reset();
    testing::raw_exec(b, "INSERT INTO idx_text (idx_text) VALUES ('integrity-check')");
  }
}

}  // namespace
}  // namespace hearth::storage
