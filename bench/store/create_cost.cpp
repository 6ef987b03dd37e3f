// Where one FHIR create spends its CPU and its bytes, stage by stage, in one process (no HTTP):
// decode + validate the body (api::decode_resource), extract its search-index values
// (fhir::search::extract_index, less the rows an umbrella's parts hold), stamp and render the body
// (api::StampedBody), and the store's create with those values, on a fresh SQLite file, by
// `threads` writers at once (so the group commit batches as it does under load). Then the bytes on
// disk per resource, per table and index (SQLite's dbstat), and the index rows per resource by
// table.
//
//   build/bench/store/create_cost [BODY.json] [creates] [threads]
//
// CPU is process CPU time (the machine may be shared; wall time says more about neighbours).
// Under callgrind, HEARTH_COST_STAGE=decode|extract|render|store runs that stage only.
// HEARTH_COST_NOINDEX=1 stores no index rows, HEARTH_COST_NOTEXT=1 no full-text row.
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/request.h"
#include "api/rest/resource_body.h"
#include "core/clock.h"
#include "fhir/search/index_values.h"
#include "fhir/search/param_parts.h"
#include "storage/sql/words_tokenizer.h"
#include "storage/store.h"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double wall_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Bytes this process has handed to write()/pwrite() so far (/proc/self/io "wchar"): the WAL
// frames of every commit plus the checkpoints' copies into the database.
double written_bytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  double value = 0;
  while (io >> key >> value) {
    if (key == "wchar:") return value;
  }
  return 0;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "create_cost: %s\n", what.c_str());
  std::exit(1);
}

// The body's resourceType, found without a parse (create_cost runs the real decode later).
std::string type_of(const std::string& body) {
  const auto key = body.find("\"resourceType\"");
  if (key == std::string::npos) die("body has no resourceType");
  const auto open = body.find('"', body.find(':', key) + 1);
  if (open == std::string::npos) die("body has no resourceType");
  return body.substr(open + 1, body.find('"', open + 1) - open - 1);
}

hearth::api::Request request_of(const std::string& body, const std::string& type) {
  hearth::api::Request request;
  request.method = "POST";
  request.path = type;
  request.content_type = "application/fhir+json";
  request.body = body;
  return request;
}

bool stage_on(const char* stage) {
  const char* only = std::getenv("HEARTH_COST_STAGE");
  return only == nullptr || std::string(only) == stage;
}

void print_stage(const char* name, double cpu, int n) {
  std::printf("  %-34s %8.1f us cpu/create\n", name, cpu * 1e6 / n);
}

// Bytes per table and index (dbstat), and the file sizes, per resource.
void print_disk(const std::string& path, int creates) {
  namespace fs = std::filesystem;
  const auto size_of = [](const std::string& p) {
    std::error_code ec;
    auto s = fs::file_size(p, ec);
    return ec ? 0.0 : static_cast<double>(s);
  };
  const double db = size_of(path), wal = size_of(path + "-wal");
  std::printf("disk: db %.1f MB + wal %.1f MB = %.0f B/resource\n", db / 1e6, wal / 1e6,
              (db + wal) / creates);
  sqlite3* conn = nullptr;
  if (sqlite3_open(path.c_str(), &conn) != SQLITE_OK) die("cannot open " + path);
  sqlite3_exec(conn, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  std::printf("  after a checkpoint: db %.0f B/resource\n", size_of(path) / creates);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(conn,
                         "SELECT name, SUM(pgsize), SUM(payload), SUM(ncell) FROM dbstat"
                         " GROUP BY name ORDER BY SUM(pgsize) DESC",
                         -1, &st, nullptr) != SQLITE_OK) {
    std::printf("  (no dbstat in this SQLite: %s)\n", sqlite3_errmsg(conn));
  } else {
    std::printf("  %-32s %10s %10s %10s\n", "table / index", "B/res", "payload", "cells/res");
    while (sqlite3_step(st) == SQLITE_ROW) {
      const double pages = sqlite3_column_double(st, 1);
      if (pages < 8192) continue;
      std::printf("  %-32s %10.0f %10.0f %10.1f\n",
                  reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), pages / creates,
                  sqlite3_column_double(st, 2) / creates, sqlite3_column_double(st, 3) / creates);
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(conn);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string body_path = argc > 1 ? argv[1] : "bench/data/patient-2k.json";
  const int creates = argc > 2 ? std::atoi(argv[2]) : 20000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 8;
  std::ifstream in(body_path, std::ios::binary);
  if (!in) die("cannot read " + body_path);
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string type = type_of(body);
  const hearth::api::Request request = request_of(body, type);

  // Warm-up: the model tables and the compiled expressions (once per process).
  {
    auto doc = hearth::api::decode_resource(request, type);
    if (!doc.is_ok()) die("decode: " + doc.status().message());
    auto values = hearth::fhir::search::extract_index(*doc);
    if (!values.is_ok()) die("extract: " + values.status().message());
    std::printf(
        "%s: %zu B; %zu index rows (string %zu, token %zu, date %zu, number %zu,"
        " quantity %zu, reference %zu, uri %zu, composite %zu)\n",
        body_path.c_str(), body.size(), values->size(), values->strings.size(),
        values->tokens.size(), values->dates.size(), values->numbers.size(),
        values->quantities.size(), values->references.size(), values->uris.size(),
        values->composites.size());
  }
  const int n = std::min(creates, 5000);
  std::printf("per-stage CPU, one thread, %d rounds:\n", n);
  double decode_cpu = 0;
  if (stage_on("decode") || stage_on("render")) {
    const double cpu = cpu_seconds();
    for (int i = 0; i < n; ++i) {
      auto doc = hearth::api::decode_resource(request, type);
      if (!doc.is_ok()) die("decode");
    }
    decode_cpu = cpu_seconds() - cpu;
    print_stage("decode + validate", decode_cpu, n);
  }
  auto decoded = hearth::api::decode_resource(request, type);
  hearth::fhir::JsonDocument& kept = *decoded;
  if (stage_on("extract")) {
    const double cpu = cpu_seconds();
    for (int i = 0; i < n; ++i) {
      auto values = hearth::fhir::search::extract_index(kept);
      if (!values.is_ok()) die("extract");
      hearth::fhir::search::drop_rows_held_by_parts(type, *values);
    }
    print_stage("extract_index + drop", cpu_seconds() - cpu, n);
    // Its share that builds the words of _text / _content (fhir/search/full_text.h).
    const double text_cpu = cpu_seconds();
    std::size_t words = 0;
    for (int i = 0; i < n; ++i) words += hearth::fhir::search::full_text(kept).content.size();
    print_stage("  of which full_text", cpu_seconds() - text_cpu, n);
    if (words == 0) die("full_text");
  }
  if (stage_on("render")) {
    const double cpu = cpu_seconds();
    std::size_t bytes = 0;
    for (int i = 0; i < n; ++i) {
      auto doc = hearth::api::decode_resource(request, type);
      hearth::api::StampedBody stamped(*doc, "0190a1b2-c3d4-7e5f-8a9b-" + std::to_string(i));
      bytes += stamped.render(1, 1700000000000000).size();
    }
    const double both = cpu_seconds() - cpu;
    print_stage("stamp + render", both - decode_cpu, n);
    if (bytes == 0) die("render");
  }
  if (!stage_on("store")) return 0;

  const auto dir =
      std::filesystem::temp_directory_path() / ("hearth-create-cost-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "hearth.db").string();
  auto clock = hearth::make_system_clock();
  {
    auto opened = hearth::storage::open_store("sqlite:" + path, *clock);
    if (!opened.is_ok()) die(opened.status().message());
    hearth::storage::Store& store = **opened;
    // HEARTH_COST_SQL: statements run on the fresh database first (to try a schema variant).
    if (const char* sql = std::getenv("HEARTH_COST_SQL")) {
      sqlite3* conn = nullptr;
      sqlite3_open(path.c_str(), &conn);
      hearth::storage::detail::register_words_tokenizer(conn);  // idx_text's tokenizer
      if (sqlite3_exec(conn, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        die(std::string("HEARTH_COST_SQL: ") + sqlite3_errmsg(conn));
      }
      sqlite3_close(conn);
    }
    auto values = hearth::fhir::search::extract_index(kept);
    hearth::fhir::search::drop_rows_held_by_parts(type, *values);  // as api::build_write
    // HEARTH_COST_NOINDEX=1: the same creates without index rows (what the index costs).
    if (std::getenv("HEARTH_COST_NOINDEX") != nullptr) *values = {};
    // HEARTH_COST_NOTEXT=1: the same creates without their full-text row (what _text and
    // _content cost the store).
    if (std::getenv("HEARTH_COST_NOTEXT") != nullptr) values->text = {};
    if (std::getenv("HEARTH_COST_NOCOMPOSITE") != nullptr) values->composites.clear();
    hearth::api::StampedBody stamped(kept, "x");
    std::atomic<int> next{0};
    const double cpu = cpu_seconds(), wall = wall_seconds(), written = written_bytes();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        hearth::storage::WriteRequest write;
        write.type = type;
        write.index = *values;
        write.make_body = [&](std::int64_t v, std::int64_t lu) { return stamped.render(v, lu); };
        for (int i = next++; i < creates; i = next++) {
          char id[40];
          std::snprintf(id, sizeof id, "0190a1b2-c3d4-7e5f-8a9b-%012d", i);
          write.id = id;
          auto created = store.create(write);
          if (!created.is_ok()) die("create failed: " + created.status().message());
        }
      });
    }
    for (auto& w : workers) w.join();
    const double cpu_s = cpu_seconds() - cpu, wall_s = wall_seconds() - wall;
    std::printf(
        "store.create, %d threads, %d creates: %.1f us cpu/create, %.0f creates/s wall,"
        " %.0f B written/create\n",
        threads, creates, cpu_s * 1e6 / creates, creates / wall_s,
        (written_bytes() - written) / creates);
  }
  print_disk(path, creates);
  std::filesystem::remove_all(dir);
  return 0;
}
