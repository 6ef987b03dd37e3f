// Thin: the store layer does the copy; this prints what it copied and how fast.
#include "server/cli/backup_command.h"

#include <chrono>
#include <cstdio>
#include <ostream>

#include "storage/backup.h"

namespace hearth::server {
namespace {

int exit_code(const Status& status) {
  return status.code() == Code::kInvalidArgument ? 2 : 1;
}

void report(std::ostream& out, std::string_view what, const std::string& file,
            const storage::BackupCounts& counts, std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  char figures[128];
  std::snprintf(figures, sizeof figures, "%.1f MiB in %.2f s",
                static_cast<double>(counts.bytes) / (1024.0 * 1024.0), seconds);
  out << what << ' ' << file << ": " << counts.resources << " resources, " << counts.versions
      << " versions, " << counts.messages << " messages, schema " << counts.schema_version;
  if (counts.blobs > 0) out << ", " << counts.blobs << " blobs";
  if (counts.bytes > 0) out << ", " << figures;
  out << std::endl;
}

}  // namespace

int run_backup(const std::string& store, const std::string& blob_dir, const std::string& out_path,
               std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  Result<storage::BackupCounts> counts = storage::backup_store(store, out_path, blob_dir);
  if (!counts.is_ok()) {
    err << "hearth backup: " << counts.status().message() << std::endl;
    return exit_code(counts.status());
  }
  report(out, "backup", out_path, *counts, std::chrono::steady_clock::now() - started);
  return 0;
}

int run_restore(const std::string& store, const std::string& blob_dir, const std::string& in_path,
                std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  Result<storage::BackupCounts> counts = storage::restore_store(store, in_path, blob_dir);
  if (!counts.is_ok()) {
    err << "hearth restore: " << counts.status().message() << std::endl;
    return exit_code(counts.status());
  }
  report(out, "restore", in_path, *counts, std::chrono::steady_clock::now() - started);
  return 0;
}

}  // namespace hearth::server
