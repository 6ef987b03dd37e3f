// Export jobs: the job thread (search pages -> NDJSON files), the job directory as the job's
// state, and the sweeper.
#include "api/rest/bulk_export_jobs.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/rest/bulk_export_manifest.h"
#include "api/rest/compartment_access.h"
#include "api/rest/json_writer.h"
#include "core/tenant_scope.h"
#include "core/thread_name.h"
#include "core/time_format.h"
#include "fhir/json.h"
#include "fhir/search/search_query.h"

namespace hearth::api {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMicros = 1'000'000;
// A running job rewrites its progress file at least this often; one untouched for kAbandoned is
// taken as abandoned (its replica stopped).
constexpr std::int64_t kHeartbeat = 2 * kMicros;
constexpr std::int64_t kAbandoned = 120 * kMicros;
constexpr std::size_t kIdsPerQuery = 100;
constexpr int kFirstPage = 100;

// Job ids are the id generator's UUIDs: hex digits and dashes only, so one never names a path
// outside the export directory ("..").
// A deleted job's directory is renamed to "<id>.removed" before its files go.
constexpr std::string_view kRemovedSuffix = ".removed";

bool is_job_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
  });
}

std::optional<std::int64_t> mtime_micros(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * kMicros + st.st_mtim.tv_nsec / 1000;
}

std::optional<std::string> read_small(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Writes `content` to `path` through a temporary file and a rename: readers see all or nothing.
bool write_atomic(const std::string& path, std::string_view content) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return false;
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  if (std::fclose(f) != 0 || !written) return false;
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

std::string job_json(const ExportJobSpec& spec, std::string_view tenant) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("tenant");
  write_str(w, tenant);
  w.Key("request");
  write_str(w, spec.request_url);
  w.Key("transactionTime");
  w.Int64(spec.transaction_time_micros);
  w.Key("requiresAccessToken");
  w.Bool(spec.requires_access_token);
  w.Key("types");
  w.StartArray();
  for (const std::string& type : spec.params.types) write_str(w, type);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// One type's NDJSON files: a buffer flushed at flush_bytes, a new file past max_file_bytes.
class NdjsonWriter {
 public:
  NdjsonWriter(std::string dir, std::string type, std::string url_prefix,
               const BulkExportOptions& options, std::vector<ExportOutputFile>& outputs)
      : dir_(std::move(dir)),
        type_(std::move(type)),
        url_prefix_(std::move(url_prefix)),
        options_(options),
        outputs_(outputs) {}
  ~NdjsonWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  NdjsonWriter(const NdjsonWriter&) = delete;
  NdjsonWriter& operator=(const NdjsonWriter&) = delete;

  Status add(std::string_view body) {
    if (file_ != nullptr && count_ > 0 && file_bytes_ + body.size() + 1 > options_.max_file_bytes) {
      HEARTH_RETURN_IF_ERROR(close());
    }
    if (file_ == nullptr) {
      name_ = type_ + "-" + std::to_string(++files_) + ".ndjson";
      file_ = std::fopen((dir_ + "/" + name_).c_str(), "wb");
      if (file_ == nullptr) return Status(Code::kInternal, "cannot create an export file");
      file_bytes_ = 0;
      count_ = 0;
    }
    const std::size_t start = buffer_.size();
    buffer_.append(body);
    std::replace_if(
        buffer_.begin() + static_cast<std::ptrdiff_t>(start), buffer_.end(),
        [](char c) { return c == '\n' || c == '\r'; }, ' ');
    buffer_.push_back('\n');
    file_bytes_ += body.size() + 1;
    ++count_;
    if (buffer_.size() >= options_.flush_bytes) return flush();
    return Status::ok();
  }

  Status close() {
    if (file_ == nullptr) return Status::ok();
    HEARTH_RETURN_IF_ERROR(flush());
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!closed) return Status(Code::kInternal, "cannot write an export file");
    outputs_.push_back(ExportOutputFile{type_, url_prefix_ + name_, count_});
    return Status::ok();
  }

 private:
  Status flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Status(Code::kInternal, "cannot write an export file");
    }
    buffer_.clear();
    if (buffer_.capacity() > 2 * options_.flush_bytes) buffer_.shrink_to_fit();
    return Status::ok();
  }

  std::string dir_, type_, url_prefix_;
  const BulkExportOptions& options_;
  std::vector<ExportOutputFile>& outputs_;
  std::FILE* file_ = nullptr;
  std::string name_;
  std::string buffer_;
  std::size_t file_bytes_ = 0;
  std::int64_t count_ = 0;
  int files_ = 0;
};

}  // namespace

bool is_export_file_name(std::string_view name) {
  const std::size_t dash = name.rfind('-');
  constexpr std::string_view kExt = ".ndjson";
  if (dash == std::string_view::npos || dash == 0 || name.size() <= dash + 1 + kExt.size() ||
      !name.ends_with(kExt)) {
    return false;
  }
  const std::string_view type = name.substr(0, dash);
  const std::string_view number = name.substr(dash + 1, name.size() - dash - 1 - kExt.size());
  return std::all_of(type.begin(), type.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }) &&
         std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

BulkExportJobs::BulkExportJobs(storage::ResourceReader& store, Clock& clock, IdGenerator& ids,
                               BulkExportOptions options)
    : store_(store), clock_(clock), ids_(ids), options_(std::move(options)) {}

BulkExportJobs::~BulkExportJobs() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, job] : jobs_) job->cancel = true;
  }
  stop_cv_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
  for (auto& [id, job] : jobs_) {
    if (job->thread.joinable()) job->thread.join();
  }
}

Status BulkExportJobs::open() {
  std::error_code ec;
  fs::create_directories(options_.directory, ec);
  const std::string probe = options_.directory + "/.probe";
  if (ec || !write_atomic(probe, "ok")) {
    return Status(Code::kUnavailable,
                  "cannot write the export directory '" + options_.directory + "'");
  }
  fs::remove(probe, ec);
  sweeper_ = std::thread([this] {
    set_thread_name("hearth-export");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      stop_cv_.wait_for(lock, std::chrono::seconds(30));
      if (stopping_) break;
      lock.unlock();
      sweep();
      lock.lock();
    }
  });
  return Status::ok();
}

void BulkExportJobs::reap_locked() {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (it->second->done) {
      if (it->second->thread.joinable()) it->second->thread.join();
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t BulkExportJobs::running() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [id, job] : jobs_) n += job->done ? 0 : 1;
  return n;
}

bool BulkExportJobs::running_here(std::string_view job) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(job);
  return it != jobs_.end() && !it->second->done;
}

Result<std::string> BulkExportJobs::start(ExportJobSpec spec) {
  std::lock_guard lock(mutex_);
  reap_locked();
  if (jobs_.size() >= options_.max_jobs) {
    return Status(Code::kUnavailable, "the server runs " + std::to_string(options_.max_jobs) +
                                          " exports already (--export-max-jobs); try later");
  }
  std::string id = ids_.next_id();
  const std::string dir = options_.directory + "/" + id;
  std::string tenant(TenantScope::current());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !write_atomic(dir + "/progress", "queued") ||
      !write_atomic(dir + "/job.json", job_json(spec, tenant))) {
    fs::remove_all(dir, ec);
    return Status(Code::kUnavailable, "cannot write the export directory");
  }
  auto job = std::make_unique<Running>();
  Running& self = *job;
  job->thread = std::thread([this, id, spec = std::move(spec), tenant = std::move(tenant), &self] {
    set_thread_name("hearth-export");
    const TenantScope scope(tenant);  // the kick-off's: every search of the job runs in it
    run(id, spec, self);
    self.done = true;
  });
  jobs_.emplace(id, std::move(job));
  return id;
}

void BulkExportJobs::run(const std::string& job, const ExportJobSpec& spec, const Running& self) {
  const std::string dir = options_.directory + "/" + job;
  ExportManifest manifest{.transaction_time_micros = spec.transaction_time_micros,
                          .request = spec.request_url,
                          .requires_access_token = spec.requires_access_token,
                          .output = {},
                          .error = {}};
  const std::string url_prefix = spec.base_url + "/$export-file/" + job + "/";
  std::int64_t exported = 0;
  std::int64_t last_beat = 0;
  auto beat = [&](std::size_t type_index, bool force) {
    const std::int64_t now = clock_.now_micros();
    if (!force && now - last_beat < kHeartbeat) return;
    last_beat = now;
    write_atomic(dir + "/progress", std::to_string(exported) + " resources exported, type " +
                                        std::to_string(type_index + 1) + " of " +
                                        std::to_string(spec.params.types.size()));
  };
  auto stopped = [&] { return self.cancel.load() || !fs::exists(dir + "/job.json"); };

  std::vector<std::pair<std::string, std::string>> window;
  if (spec.params.since_micros) {
    window.emplace_back("_lastUpdated", "ge" + format_instant(*spec.params.since_micros));
  }
  window.emplace_back("_lastUpdated", "le" + format_instant(spec.transaction_time_micros));

  auto export_type = [&](std::size_t t) -> Status {
    const std::string& type = spec.params.types[t];
    NdjsonWriter writer(dir, type, url_prefix, options_, manifest.output);
    // The compartment filters to run: none (system), every patient's (patient), or the group's
    // members kIdsPerQuery at a time.
    std::vector<std::optional<fhir::search::CompartmentFilter>> filters;
    if (spec.params.level == ExportLevel::kSystem) {
      filters.emplace_back();
    } else {
      HEARTH_ASSIGN_OR_RETURN(fhir::search::CompartmentFilter base, patient_compartment("", type));
      if (spec.params.level == ExportLevel::kPatient) {
        base.any_member = true;
        filters.emplace_back(base);
      } else {
        for (std::size_t i = 0; i < spec.patient_ids.size(); i += kIdsPerQuery) {
          fhir::search::CompartmentFilter some = base;
          const std::size_t end = std::min(spec.patient_ids.size(), i + kIdsPerQuery);
          some.ids.assign(spec.patient_ids.begin() + static_cast<std::ptrdiff_t>(i),
                          spec.patient_ids.begin() + static_cast<std::ptrdiff_t>(end));
          filters.emplace_back(std::move(some));
        }
      }
    }
    int count = kFirstPage;
    for (const auto& filter : filters) {
      std::string cursor;
      do {
        if (stopped()) return Status(Code::kUnavailable, "cancelled");
        HEARTH_ASSIGN_OR_RETURN(fhir::search::SearchQuery query,
                                fhir::search::parse_search(type, window, spec.base_url, true));
        query.compartment = filter;
        query.count = count;
        query.cursor = cursor;
        query.total = fhir::search::TotalMode::kNone;
        HEARTH_ASSIGN_OR_RETURN(storage::SearchPage page, store_.search(query));
        std::size_t bytes = 0;
        for (const storage::ResourceVersion& v : page.entries) {
          bytes += v.body.size();
          HEARTH_RETURN_IF_ERROR(writer.add(v.body));
        }
        exported += static_cast<std::int64_t>(page.entries.size());
        if (!page.entries.empty()) {
          // Batches sized by bytes: the next page holds about page_bytes of bodies.
          const std::size_t average = std::max<std::size_t>(1, bytes / page.entries.size());
          count = static_cast<int>(
              std::clamp<std::size_t>(options_.page_bytes / average, 10, fhir::search::kMaxCount));
        }
        cursor = std::move(page.next_cursor);
        beat(t, false);
      } while (!cursor.empty());
    }
    return writer.close();
  };

  beat(0, true);
  for (std::size_t t = 0; t < spec.params.types.size(); ++t) {
    Status done = export_type(t);
    if (!done.is_ok()) {
      if (!stopped()) write_atomic(dir + "/error.txt", "the export failed: " + done.message());
      return;
    }
  }
  if (stopped()) return;
  write_atomic(dir + "/manifest.json", manifest_json(manifest));
}

Result<ExportStatus> BulkExportJobs::status(std::string_view job) const {
  if (!is_job_id(job)) return Status(Code::kNotFound, "no export job '" + std::string(job) + "'");
  const std::string dir = options_.directory + "/" + std::string(job);
  std::optional<std::string> spec = read_small(dir + "/job.json");
  Result<fhir::JsonDocument> doc =
      spec ? fhir::parse_json(*spec) : Result<fhir::JsonDocument>(Status(Code::kNotFound, ""));
  // A job of another tenant is as unknown here as one never started.
  const bool ours =
      doc.is_ok() && doc->IsObject() &&
      (doc->HasMember("tenant") ? fhir::is_json_string((*doc)["tenant"]) &&
                                      fhir::json_string((*doc)["tenant"]) == TenantScope::current()
                                : TenantScope::current().empty());
  if (!ours || !doc->HasMember("types")) {
    return Status(Code::kNotFound,
                  "no export job '" + std::string(job) + "' (never started, deleted, or expired)");
  }
  ExportStatus out;
  for (const auto& type : (*doc)["types"].GetArray()) out.types.emplace_back(type.GetString());
  out.requires_access_token = (*doc)["requiresAccessToken"].GetBool();
  if (std::optional<std::string> error = read_small(dir + "/error.txt")) {
    out.state = ExportState::kFailed;
    out.error = *error;
    return out;
  }
  if (std::optional<std::string> manifest = read_small(dir + "/manifest.json")) {
    out.state = ExportState::kComplete;
    out.manifest = *manifest;
    out.expires_micros = mtime_micros(dir + "/manifest.json").value_or(0) +
                         static_cast<std::int64_t>(options_.expiry.count()) * kMicros;
    return out;
  }
  out.progress = read_small(dir + "/progress").value_or("");
  const std::int64_t beat = mtime_micros(dir + "/progress").value_or(0);
  if (!running_here(job) && clock_.now_micros() - beat > kAbandoned) {
    out.state = ExportState::kFailed;
    out.error = "the server running this export stopped before it finished; start it again";
  }
  return out;
}

Status BulkExportJobs::remove(std::string_view job) {
  HEARTH_RETURN_IF_ERROR(status(job).status());
  {
    std::lock_guard lock(mutex_);
    if (auto it = jobs_.find(job); it != jobs_.end()) it->second->cancel = true;
  }
  // The worker may be writing into the directory right now, and remove_all fails with ENOTEMPTY
  // when a file appears behind it. Renaming is atomic: the job is gone at once, the worker's next
  // write fails, and the renamed tree (not a job id, so never served) is deleted now or by sweep.
  const std::string dir = options_.directory + "/" + std::string(job);
  const std::string trash = dir + std::string(kRemovedSuffix);
  std::error_code ec;
  fs::remove_all(trash, ec);
  fs::rename(dir, trash, ec);
  if (ec) return Status(Code::kInternal, "cannot delete the export's files");
  fs::remove_all(trash, ec);
  return Status::ok();
}

Result<std::string> BulkExportJobs::file_path(std::string_view job, std::string_view file) const {
  HEARTH_ASSIGN_OR_RETURN(ExportStatus state, status(job));
  const std::string path = options_.directory + "/" + std::string(job) + "/" + std::string(file);
  if (state.state != ExportState::kComplete || !is_export_file_name(file) || !fs::exists(path)) {
    return Status(Code::kNotFound, "no export file '" + std::string(file) + "'");
  }
  return path;
}

void BulkExportJobs::sweep() {
  {
    std::lock_guard lock(mutex_);
    reap_locked();
  }
  const std::int64_t now = clock_.now_micros();
  const std::int64_t expiry = static_cast<std::int64_t>(options_.expiry.count()) * kMicros;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(options_.directory, ec)) {
    const std::string job = entry.path().filename().string();
    if (job.ends_with(kRemovedSuffix)) {
      fs::remove_all(entry.path(), ec);
      continue;
    }
    if (!is_job_id(job) || !entry.is_directory(ec) || running_here(job)) continue;
    const std::string dir = entry.path().string();
    std::int64_t last = 0;
    for (const char* name : {"/manifest.json", "/error.txt", "/progress", "/job.json"}) {
      last = std::max(last, mtime_micros(dir + name).value_or(0));
    }
    if (now - last > expiry) fs::remove_all(dir, ec);
  }
}

}  // namespace hearth::api
