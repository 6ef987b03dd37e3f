// Files -> units (message_files.h) -> api::Hl7Ingest, one at a time, each waited for
// (ingest_and_wait): the store commits one unit before the next is read.
#include "server/cli/import_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <ostream>
#include <utility>

#include "api/hl7/ingest.h"
#include "api/rest/rest_limits.h"
#include "core/clock.h"
#include "hl7/to_fhir/message_mapper.h"
#include "server/cli/message_files.h"
#include "storage/store.h"

namespace hearth::server {
namespace {

bool accepted(const std::string& code) {
  return code == "AA" || code == "CA" || code == "A";
}

// "[#####     ] 12/40 files" on a terminal, redrawn in place.
void progress(std::ostream& err, std::size_t done, std::size_t total) {
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
  err << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << done
      << "/" << total << " files" << std::flush;
}

}  // namespace

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  if (!collect_files(options.paths, "hearth import", files, err)) return 2;
  storage::StoreOptions store_options;
  store_options.blob_dir = options.blob_dir;
  auto store = storage::open_store(options.store, store_options);
  if (!store) {
    err << "hearth import: cannot open store: " << store.status().message() << "\n";
    return 3;
  }
  auto clock = make_system_clock();
  auto ids = make_uuid_generator(*clock);
  const hl7::to_fhir::MessageMapper mapper;
  const api::RestLimits limits;
  const api::Hl7MappingContext mapping{.store = **store,
                                       .clock = *clock,
                                       .ids = *ids,
                                       .limits = limits,
                                       .mapper = mapper,
                                       .reject_unmapped = false};
  api::Hl7IngestOptions ingest_options;
  ingest_options.mapping = options.map ? &mapping : nullptr;
  api::Hl7Ingest ingest(**store, *clock, *ids, std::move(ingest_options));
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  const auto started = std::chrono::steady_clock::now();
  std::map<std::string, int> codes;
  std::size_t units = 0, duplicates = 0, versions = 0, claims = 0, bytes = 0, done_files = 0;
  bool all_accepted = true;
  for (const std::string& file : files) {
    const std::string text = read_file(file);
    bytes += text.size();
    int index = 0;
    for (FileMessage& unit : split_messages(text)) {
      ++index;
      ++units;
      api::Hl7IngestResult result =
          api::ingest_and_wait(ingest, std::move(unit.text), api::Hl7Peer("import:" + file));
      std::string code = result.ack_code.empty() ? "none" : result.ack_code;
      if (result.hang_up && !result.store_error.empty()) code = "store-error";
      ++codes[code];
      duplicates += result.duplicate ? 1 : 0;
      versions += result.written.size();
      for (const std::string& v : result.written) claims += v.starts_with("Claim/") ? 1 : 0;
      if (!accepted(code)) {
        all_accepted = false;
        if (terminal) err << "\r";
        out << file << "#" << index << " " << unit.control_id << " " << code;
        if (!result.store_error.empty()) out << " " << result.store_error;
        out << "\n";
      }
    }
    ++done_files;
    if (terminal) progress(err, done_files, files.size());
  }
  if (terminal) err << "\n";
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double per = seconds > 0 ? 1 / seconds : 0;
  char rates[160];
  std::snprintf(rates, sizeof rates, "%.2f s (%.0f units/s, %.0f claims/s, %.1f MB/s)", seconds,
                units * per, claims * per, bytes * per / 1e6);
  out << "imported " << units << " unit(s) from " << files.size() << " file(s) in " << rates << ":";
  for (const auto& [code, count] : codes) out << " " << count << " " << code;
  out << "; " << duplicates << " duplicate(s), " << versions << " resource version(s) written, "
      << claims << " Claim(s)\n";
  out.flush();
  return all_accepted ? 0 : 1;
}

}  // namespace hearth::server
