// AuditWriter: a queue, one thread, one store transaction per batch and tenant.
#include "server/audit_writer.h"

#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "api/rest/write_request.h"
#include "core/tenant_scope.h"
#include "fhir/json.h"
#include "fhir/search/index_values.h"
#include "server/access_log.h"

namespace hearth::server {

AuditWriter::AuditWriter(storage::ResourceStore& store, IdGenerator& ids, std::string jsonl_path)
    : store_(store), ids_(ids), jsonl_path_(std::move(jsonl_path)) {}

AuditWriter::~AuditWriter() {
  stop();
}

Status AuditWriter::start() {
  if (!jsonl_path_.empty()) {
    jsonl_.open(jsonl_path_, std::ios::app);
    if (!jsonl_) {
      return Status(Code::kInvalidArgument,
                    "--audit-file: cannot open '" + jsonl_path_ + "' for appending");
    }
  }
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void AuditWriter::record(api::AuditRecord record) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= kAuditQueueLimit) {
      ++dropped_;
      if (!overflowing_) {
        overflowing_ = true;
        log_line("audit: queue full (" + std::to_string(kAuditQueueLimit) +
                     " events); dropping events until the store catches up",
                 LogLevel::kWarning);
      }
      return;
    }
    overflowing_ = false;
    queue_.push_back(std::move(record));
  }
  wake_.notify_one();
}

void AuditWriter::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t AuditWriter::written() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return written_;
}

std::uint64_t AuditWriter::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

void AuditWriter::run() {
  std::deque<api::AuditRecord> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything recorded is written
      while (!queue_.empty() && batch.size() < kAuditBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    write_batch(batch);
    batch.clear();
  }
}

void AuditWriter::write_batch(std::deque<api::AuditRecord>& batch) {
  // One store transaction per tenant of the batch, each in its tenant (this thread has none of
  // its own: without the scope every event would land in tenant "").
  std::map<std::string_view, std::vector<const api::AuditRecord*>> by_tenant;
  for (const api::AuditRecord& record : batch) by_tenant[record.tenant].push_back(&record);
  for (const auto& [tenant, records] : by_tenant) {
    const TenantScope scope(tenant);
    write_tenant(records);
  }
}

void AuditWriter::write_tenant(const std::vector<const api::AuditRecord*>& records) {
  std::vector<std::string> bodies;
  std::vector<storage::WriteRequest> writes;
  bodies.reserve(records.size());
  writes.reserve(records.size());
  const bool to_file = jsonl_.is_open();  // only the file needs the text
  for (const api::AuditRecord* record : records) {
    const std::string id = ids_.next_id();
    // Built as a document, not written and parsed again: a third of an event's cost before
    // its rows (bench/README.md, "HTTPS + JWT + audit").
    auto doc = api::audit_event_document(*record, id);
    if (!doc.is_ok()) continue;  // a value no JSON can hold (a token's subject with U+0000)
    auto write = api::build_write("AuditEvent", id, *doc, doc->GetAllocator(),
                                  fhir::search::kDefaultMaxIndexRows);
    if (!write.is_ok()) continue;
    writes.push_back(std::move(write).value());
    if (to_file) bodies.push_back(api::audit_event_json(*record, id));
  }
  Status status;
  for (int attempt = 0; attempt < kAuditRetries; ++attempt) {
    status = store_.transact([&writes](storage::StoreTransaction& tx) {
      for (const storage::WriteRequest& write : writes) {
        auto created = tx.create(write);
        if (!created.is_ok()) return created.status();
      }
      return Status::ok();
    });
    if (status.is_ok()) break;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (!status.is_ok()) {
    dropped_ += records.size();
    log_line("audit: " + std::to_string(records.size()) + " events not stored: " + status.message(),
             LogLevel::kError);
    return;
  }
  written_ += writes.size();
  dropped_ += records.size() - writes.size();
  if (jsonl_.is_open()) {
    for (const std::string& body : bodies) jsonl_ << body << '\n';
    jsonl_.flush();
  }
}

}  // namespace hearth::server
