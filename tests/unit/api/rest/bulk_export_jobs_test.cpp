// api/rest/bulk_export_jobs.h over an in-memory SQLite store: the three levels' contents, files
// split by bytes with every line a resource, the job limit, cancellation, expiry, file names.
#include "api/rest/bulk_export_jobs.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "core/tenant_scope.h"
#include "rest_test_support.h"

namespace hearth::api {
namespace {

using testing::body_json;
using testing::RestFixture;

class HexIds final : public IdGenerator {
 public:
  std::string next_id() override { return "0bad-cafe-" + std::to_string(++n_); }

 private:
  std::atomic<int> n_{0};
};

// The store, with searches held until open() (to keep a job running).
class GateReader final : public storage::ResourceReader {
 public:
  explicit GateReader(storage::ResourceReader& inner) : inner_(inner) {}
  Result<storage::ResourceVersion> read(std::string_view type, std::string_view id,
                                        storage::ResourceVersion* deleted) override {
    return inner_.read(type, id, deleted);
  }
  Result<storage::ResourceVersion> vread(std::string_view type, std::string_view id,
                                         std::int64_t version) override {
    return inner_.vread(type, id, version);
  }
  Result<storage::SearchPage> search(const fhir::search::SearchQuery& query) override {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return open_; });
    lock.unlock();
    return inner_.search(query);
  }
  Result<std::vector<storage::ResourceVersion>> include(
      const storage::IncludeQuery& query) override {
    return inner_.include(query);
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  storage::ResourceReader& inner_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

struct TempDir {
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("hearth-export-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
  static inline int n = 0;
};

std::string create(RestFixture& f, const std::string& type, const std::string& body) {
  Response r = f.call("POST", type, body);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return body_json(r)["id"].GetString();
}

std::string observation(const std::string& patient) {
  // A padded note so that a few resources fill a small file.
  return R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
         R"("note":[{"text":")" +
         std::string(200, 'n') + R"("}])" +
         (patient.empty() ? "" : R"(,"subject":{"reference":"Patient/)" + patient + R"("})") + "}";
}

ExportStatus wait_done(BulkExportJobs& jobs, const std::string& job) {
  for (int i = 0; i < 500; ++i) {
    Result<ExportStatus> s = jobs.status(job);
    REQUIRE(s.is_ok());
    if (s->state != ExportState::kRunning) return *s;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("the export did not finish");
  return {};
}

// type -> resources, over every output file of a complete job, each line checked.
std::map<std::string, int> contents(BulkExportJobs& jobs, const std::string& job,
                                    const ExportStatus& done, std::size_t max_file_bytes) {
  auto manifest = fhir::parse_json(done.manifest);
  REQUIRE(manifest.is_ok());
  std::map<std::string, int> out;
  for (const auto& file : (*manifest)["output"].GetArray()) {
    const std::string url = file["url"].GetString();
    const std::string name = url.substr(url.rfind('/') + 1);
    Result<std::string> path = jobs.file_path(job, name);
    REQUIRE(path.is_ok());
    CHECK(std::filesystem::file_size(*path) <= max_file_bytes);
    std::ifstream in(*path);
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
      auto resource = fhir::parse_json(line);
      REQUIRE(resource.is_ok());
      CHECK(std::string((*resource)["resourceType"].GetString()) == file["type"].GetString());
      ++lines;
    }
    CHECK(std::to_string(lines) == fhir::json_number_text(file["count"]));
    out[file["type"].GetString()] += lines;
  }
  return out;
}

ExportJobSpec spec(ExportLevel level, std::vector<std::string> types,
                   std::int64_t transaction_time) {
  ExportJobSpec s;
  s.params.level = level;
  s.params.types = std::move(types);
  s.request_url = "http://test/fhir/$export";
  s.base_url = "http://test/fhir";
  s.transaction_time_micros = transaction_time;
  return s;
}

TEST_CASE("export jobs: system, patient and group levels; files split by bytes") {
  RestFixture f;
  const std::string p1 = create(f, "Patient", R"({"resourceType":"Patient"})");
  const std::string p2 = create(f, "Patient", R"({"resourceType":"Patient"})");
  for (int i = 0; i < 20; ++i) create(f, "Observation", observation(p1));
  for (int i = 0; i < 10; ++i) create(f, "Observation", observation(p2));
  create(f, "Observation", observation(""));  // in no compartment
  create(f, "Group",
         R"({"resourceType":"Group","type":"person","actual":true,"member":[{"entity":)"
         R"({"reference":"Patient/)" +
             p1 + R"("}}]})");

  TempDir dir;
  HexIds ids;
  const std::size_t max_file = 3000;
  BulkExportJobs jobs(*f.store, f.clock, ids,
                      BulkExportOptions{.directory = dir.path.string(),
                                        .max_jobs = 2,
                                        .expiry = std::chrono::seconds(60),
                                        .max_file_bytes = max_file,
                                        .flush_bytes = 700,
                                        .page_bytes = 2000});
  REQUIRE(jobs.open().is_ok());
  const std::int64_t now = f.clock.now_micros();

  auto system = jobs.start(spec(ExportLevel::kSystem, {"Observation", "Patient"}, now));
  REQUIRE(system.is_ok());
  ExportStatus done = wait_done(jobs, *system);
  REQUIRE(done.state == ExportState::kComplete);
  CHECK(contents(jobs, *system, done, max_file) ==
        std::map<std::string, int>{{"Observation", 31}, {"Patient", 2}});
  auto manifest = fhir::parse_json(done.manifest);
  CHECK((*manifest)["output"].Size() > 3);  // Observation split over several files
  CHECK(done.types == std::vector<std::string>{"Observation", "Patient"});

  auto patient = jobs.start(spec(ExportLevel::kPatient, {"Observation", "Patient"}, now));
  REQUIRE(patient.is_ok());
  done = wait_done(jobs, *patient);
  REQUIRE(done.state == ExportState::kComplete);
  CHECK(contents(jobs, *patient, done, max_file) ==
        std::map<std::string, int>{{"Observation", 30}, {"Patient", 2}});

  ExportJobSpec group = spec(ExportLevel::kGroup, {"Observation", "Patient"}, now);
  group.patient_ids = {p1};
  auto grouped = jobs.start(group);
  REQUIRE(grouped.is_ok());
  done = wait_done(jobs, *grouped);
  REQUIRE(done.state == ExportState::kComplete);
  CHECK(contents(jobs, *grouped, done, max_file) ==
        std::map<std::string, int>{{"Observation", 20}, {"Patient", 1}});

  // Nothing after the transaction time, nothing before _since.
  auto before = jobs.start(spec(ExportLevel::kSystem, {"Patient"}, now - 1'000'000));
  REQUIRE(before.is_ok());
  done = wait_done(jobs, *before);
  CHECK(contents(jobs, *before, done, max_file).empty());
  ExportJobSpec since = spec(ExportLevel::kSystem, {"Patient"}, now);
  since.params.since_micros = now + 1000;  // a millisecond: search dates are that precise
  auto after = jobs.start(since);
  REQUIRE(after.is_ok());
  done = wait_done(jobs, *after);
  CHECK(contents(jobs, *after, done, max_file).empty());

  // A file of another job, or a name that is not an export file, is not served.
  CHECK(jobs.file_path(*system, "../job.json").status().code() == Code::kNotFound);
  CHECK(jobs.file_path(*system, "Patient-9.ndjson").status().code() == Code::kNotFound);
  CHECK(jobs.status("../x").status().code() == Code::kNotFound);
  CHECK(jobs.status("0bad-cafe-999").status().code() == Code::kNotFound);

  // Deleted: gone at once. Expired: gone after the sweep.
  REQUIRE(jobs.remove(*system).is_ok());
  CHECK(jobs.status(*system).status().code() == Code::kNotFound);
  CHECK(jobs.remove(*system).code() == Code::kNotFound);
  REQUIRE(jobs.status(*patient).is_ok());
  jobs.sweep();
  CHECK(jobs.status(*patient).is_ok());  // the fixed clock is long before the files' time
  f.clock.micros = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count() +
                   61'000'000;
  jobs.sweep();
  CHECK(jobs.status(*patient).status().code() == Code::kNotFound);
  CHECK(jobs.status(*grouped).status().code() == Code::kNotFound);
}

TEST_CASE("export jobs: at most max_jobs run; a running job is cancelled by remove") {
  RestFixture f;
  create(f, "Patient", R"({"resourceType":"Patient"})");
  GateReader gate(*f.store);
  TempDir dir;
  HexIds ids;
  BulkExportJobs jobs(gate, f.clock, ids,
                      BulkExportOptions{.directory = dir.path.string(), .max_jobs = 1});
  REQUIRE(jobs.open().is_ok());
  auto first = jobs.start(spec(ExportLevel::kSystem, {"Patient"}, f.clock.now_micros()));
  REQUIRE(first.is_ok());
  auto second = jobs.start(spec(ExportLevel::kSystem, {"Patient"}, f.clock.now_micros()));
  CHECK(second.status().code() == Code::kUnavailable);
  CHECK(jobs.running() == 1);
  auto running = jobs.status(*first);
  REQUIRE(running.is_ok());
  CHECK(running->state == ExportState::kRunning);
  CHECK_FALSE(running->progress.empty());
  REQUIRE(jobs.remove(*first).is_ok());
  gate.open();
  for (int i = 0; i < 200 && jobs.running() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(jobs.running() == 0);
  CHECK(jobs.status(*first).status().code() == Code::kNotFound);
  CHECK(jobs.start(spec(ExportLevel::kSystem, {"Patient"}, f.clock.now_micros())).is_ok());
}

TEST_CASE("export jobs: file names") {
  CHECK(is_export_file_name("Patient-1.ndjson"));
  CHECK(is_export_file_name("MedicationRequest-12.ndjson"));
  CHECK_FALSE(is_export_file_name("Patient-.ndjson"));
  CHECK_FALSE(is_export_file_name("-1.ndjson"));
  CHECK_FALSE(is_export_file_name("Patient-1.json"));
  CHECK_FALSE(is_export_file_name("..-1.ndjson"));
  CHECK_FALSE(is_export_file_name("manifest.json"));
}

TEST_CASE("export jobs: a job runs in the tenant that started it, and only that tenant sees it") {
  RestFixture f;
  Request in_t1;
  in_t1.method = "POST";
  in_t1.path = "Patient";
  in_t1.content_type = "application/fhir+json";
  in_t1.body = R"({"resourceType":"Patient"})";
  in_t1.tenant = "t1";
  REQUIRE(f.call(in_t1).status == 201);
  REQUIRE(f.call(in_t1).status == 201);
  create(f, "Patient", R"({"resourceType":"Patient"})");  // tenant ""

  TempDir dir;
  HexIds ids;
  BulkExportJobs jobs(*f.store, f.clock, ids, BulkExportOptions{.directory = dir.path.string()});
  REQUIRE(jobs.open().is_ok());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  Result<std::string> job = [&] {
    const TenantScope tenant("t1");
    return jobs.start(spec(ExportLevel::kSystem, {"Patient"}, now));
  }();
  REQUIRE(job.is_ok());
  CHECK(jobs.status(*job).status().code() == Code::kNotFound);  // tenant ""
  {
    const TenantScope other("t2");
    CHECK(jobs.status(*job).status().code() == Code::kNotFound);
    CHECK(jobs.remove(*job).code() == Code::kNotFound);
  }
  const TenantScope tenant("t1");
  ExportStatus done = wait_done(jobs, *job);
  REQUIRE(done.state == ExportState::kComplete);
  CHECK(contents(jobs, *job, done, 1u << 20) == std::map<std::string, int>{{"Patient", 2}});
}

}  // namespace
}  // namespace hearth::api
