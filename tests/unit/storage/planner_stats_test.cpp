// SQLite's plans over its fixed planner statistics (schema step 11): a search by a selective
// parameter starts from the search index's rows, never from a walk over every resource of the
// type, whatever the store holds (an empty store included, where SQLite would otherwise guess);
// and the statements of the indexes schema 22 and 23 narrowed still seek what is left of them.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "fhir/search/search_query.h"
#include "storage/sql/include_compiler.h"
#include "storage/sql/search_compiler.h"
#include "storage/store.h"

namespace hearth::storage {
namespace {

std::string query_plan(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) ==
          SQLITE_OK);
  std::string plan;
  while (sqlite3_step(st) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
    plan += "\n";
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return plan;
}

// A fresh directory `prefix`<pid> holding a new store, hearth.db, at the latest schema.
std::filesystem::path empty_store(const std::string& prefix) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto store = open_store("sqlite:" + (dir / "hearth.db").string());
  REQUIRE(store.is_ok());
  return dir;
}

TEST_CASE("planner statistics: a token search starts from the index, not the resource table") {
  const std::filesystem::path dir = empty_store("hearth-plan-");
  const std::string path = (dir / "hearth.db").string();
  // The shape of the search compiler's statement for Observation?identifier=s|v.
  const std::string plan =
      query_plan(path,
                 "SELECT r.res_id FROM resource r WHERE r.deleted = 0 AND r.tenant = ''"
                 " AND r.res_type = 'Observation' AND r.rid IN (SELECT i.rid FROM idx_token i WHERE"
                 " i.pid = (SELECT p.id FROM search_param p WHERE p.tenant = '' AND"
                 " p.res_type = 'Observation' AND p.code = 'identifier') AND i.system = 's' AND"
                 " i.code = 'v') ORDER BY r.res_id LIMIT 2");
  MESSAGE(plan);
  CHECK(plan.find("idx_token_find") != std::string::npos);
  // Schema 20: the match's key and `deleted` come from the index alone.
  CHECK(plan.find("USING COVERING INDEX resource_rid") != std::string::npos);
  CHECK(plan.find("USING PRIMARY KEY (tenant=? AND res_type=?)") == std::string::npos);
  // The parameter's id by the whole key of search_param (schema 18: tenant first).
  CHECK(plan.find("(tenant=? AND res_type=? AND code=?)") != std::string::npos);
  std::filesystem::remove_all(dir);
}

// Schema 22: references are indexed by (pid, target_id) only. Every _revinclude, whatever its
// parameter and however many types the page holds, seeks that index; none reads every reference
// row (a scan of idx_reference, or of its key: "SCAN i").
TEST_CASE("planner statistics: a _revinclude seeks the references by parameter and target") {
  const std::filesystem::path dir = empty_store("hearth-plan-rev-");
  const std::string path = (dir / "hearth.db").string();
  for (const char* directive : {"*", "Observation:*", "Observation:subject"}) {
    CAPTURE(std::string(directive));
    auto query =
        fhir::search::parse_search("Patient", {{"_revinclude", directive}}, "http://h/fhir", true);
    REQUIRE(query.is_ok());
    IncludeQuery include;
    include.from = {{"Patient", "p1"}, {"Patient", "p2"}, {"Group", "g1"}};
    include.directives = query->includes;
    const detail::IncludeSql sql = detail::compile_include(include, "");
    const std::string plan = query_plan(path, "SELECT r.res_id FROM resource r WHERE " + sql.where);
    INFO(plan);
    CHECK(plan.find("idx_reference_find (pid=? AND target_id=?)") != std::string::npos);
    CHECK(plan.find("SCAN i\n") == std::string::npos);
    CHECK(plan.find("SCAN i ") == std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

// Schema 23: idx_composite_find holds first components only (WHERE comp = 0). A composite
// search, and its :missing, still start from it: their statements say comp = 0 themselves.
TEST_CASE("planner statistics: a composite search starts from its first components' index") {
  const std::filesystem::path dir = empty_store("hearth-plan-composite-");
  const std::string path = (dir / "hearth.db").string();
  const std::vector<std::pair<std::string, std::string>> searches = {
      {"code-value-quantity", "http://loinc.org|8480-6$gt140"},
      {"code-value-quantity:missing", "false"},
  };
  for (const auto& search : searches) {
    CAPTURE(search.first);
    auto query = fhir::search::parse_search("Observation", {search}, "http://h/fhir", true);
    REQUIRE(query.is_ok());
    const detail::SearchSql sql = detail::compile_search(*query, "", 0);
    const std::string plan =
        query_plan(path, "SELECT r.res_id FROM resource r WHERE r.deleted = 0" + sql.where);
    INFO(plan);
    CHECK(plan.find("USING COVERING INDEX idx_composite_find (pid=?") != std::string::npos);
    CHECK(plan.find("SCAN i") == std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hearth::storage
