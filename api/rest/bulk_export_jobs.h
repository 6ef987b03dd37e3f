// Bulk Data export jobs: each kick-off becomes a job that runs on a thread of its own, off the
// server's io threads and worker pools and off the write path (it only searches the store), and
// writes NDJSON files into a directory of its own below the export directory. Everything a status
// request needs is in that directory, so any replica that sees it (a volume shared by the
// replicas) answers for any job:
//
//   <dir>/<job>/job.json       what was asked (types, request URL, transactionTime, token)
//   <dir>/<job>/progress       "N resources, type k of K": rewritten at least every few seconds
//                              while the job runs (its age tells a live job from an abandoned one)
//   <dir>/<job>/<Type>-<n>.ndjson   the output, one resource per line
//   <dir>/<job>/manifest.json  written (atomically, by rename) when the job completes
//   <dir>/<job>/error.txt      written when the job fails
//
// Memory: a job holds one page of search results (sized by bytes: the page size follows the
// bodies' average size so a page stays near `page_bytes`) and one write buffer (flushed at
// `flush_bytes`); never the export. Stored bodies are written as they are (compact JSON; a line
// break inside one, which JSON allows only as whitespace, becomes a space).
//
// Expiry: a finished job's directory is removed `expiry` after it finished; a job no replica
// has advanced for `expiry` is removed too. A sweeper thread looks every 30 s.
//
// Tenants (core/tenant_scope.h): like the store, start() captures the caller's tenant; the job
// runs in it (job.json records it) and status(), remove() and file_path() know only the jobs of
// the calling thread's tenant (another tenant's is kNotFound).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "api/rest/bulk_export_params.h"
#include "core/clock.h"
#include "core/status.h"
#include "storage/resource_store.h"

namespace hearth::api {

struct BulkExportOptions {
  std::string directory;     // created when missing
  std::size_t max_jobs = 2;  // jobs running at once in this process; more are refused (503)
  std::chrono::seconds expiry{3600};
  std::size_t max_file_bytes = 64u << 20;  // an output file is closed and another begun past it
  std::size_t flush_bytes = 1u << 20;      // the write buffer
  std::size_t page_bytes = 4u << 20;       // the search page aimed at
};

// A job as the kick-off decided it.
struct ExportJobSpec {
  ExportParams params;
  std::vector<std::string> patient_ids;  // ExportLevel::kGroup: the Group's Patient members
  std::string request_url;               // the kick-off URL, for the manifest
  std::string base_url;                  // for the file URLs
  bool requires_access_token = false;
  std::int64_t transaction_time_micros = 0;
};

enum class ExportState { kRunning, kComplete, kFailed };

struct ExportStatus {
  ExportState state = ExportState::kRunning;
  std::string progress;                // kRunning: "N resources, type k of K"
  std::string manifest;                // kComplete: the manifest JSON
  std::int64_t expires_micros = 0;     // kComplete: when its files go
  std::string error;                   // kFailed: why
  std::vector<std::string> types;      // what the job exports (for the authorisation check)
  bool requires_access_token = false;  // as the kick-off had it
};

// The files' name rule: "<Type>-<n>.ndjson".
bool is_export_file_name(std::string_view name);

class BulkExportJobs {
 public:
  BulkExportJobs(storage::ResourceReader& store, Clock& clock, IdGenerator& ids,
                 BulkExportOptions options);
  // Cancels the running jobs (their directories stay, to expire) and joins every thread.
  ~BulkExportJobs();
  BulkExportJobs(const BulkExportJobs&) = delete;
  BulkExportJobs& operator=(const BulkExportJobs&) = delete;

  // Creates the directory and starts the sweeper. Errors: kUnavailable when the directory cannot
  // be created or written.
  Status open();

  // Starts a job; its id. Errors: kUnavailable when max_jobs run already (or the job directory
  // cannot be written).
  Result<std::string> start(ExportJobSpec spec);

  // A job's state, from its directory. Errors: kNotFound for an unknown, deleted or expired job.
  Result<ExportStatus> status(std::string_view job) const;

  // Cancels a running job (here) and removes its directory. Errors: kNotFound.
  Status remove(std::string_view job);

  // The path of a complete job's output file. Errors: kNotFound.
  Result<std::string> file_path(std::string_view job, std::string_view file) const;

  // Jobs running in this process.
  std::size_t running() const;

  // Removes what has expired (the sweeper's work; tests call it).
  void sweep();

 private:
  struct Running {
    std::thread thread;
    std::atomic<bool> cancel{false};
    std::atomic<bool> done{false};
  };
  void run(const std::string& job, const ExportJobSpec& spec, const Running& self);
  void reap_locked();  // joins finished threads; mutex_ held
  bool running_here(std::string_view job) const;

  storage::ResourceReader& store_;
  Clock& clock_;
  IdGenerator& ids_;
  const BulkExportOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Running>, std::less<>> jobs_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread sweeper_;
};

}  // namespace hearth::api
