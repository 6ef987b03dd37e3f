// Files -> units (message_files.h) -> api::Hl7Ingest, at most kInFlight at a time: the next unit
// is parsed, acknowledged and mapped on this thread while the store commits the one before (on
// its own thread), so the two halves of an import use two cores. The store applies the units in
// the order they were handed over, each in its own transaction, and conditional writes resolve
// inside that transaction: a unit sees every unit before it, as one at a time would. A FHIR file
// (bundle_import.h) goes through the REST core once the units before it are committed.
#include "server/cli/import_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <optional>
#include <ostream>
#include <thread>
#include <utility>

#include "api/hl7/ingest.h"
#include "api/rest/rest_handler.h"
#include "api/rest/rest_limits.h"
#include "core/clock.h"
#include "hl7/to_fhir/message_mapper.h"
#include "server/cli/bundle_import.h"
#include "server/cli/message_files.h"
#include "server/scheduling.h"
#include "storage/store.h"

namespace hearth::server {
namespace {

// Units handed to the store and not yet reported: one committing, one being mapped.
constexpr std::size_t kInFlight = 2;

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
  const storage::StoreTraits traits = (*store)->traits();
  const api::Hl7MappingContext mapping{
      .store = **store,
      .clock = *clock,
      .ids = *ids,
      .limits = limits,
      .mapper = mapper,
      .reject_unmapped = false,
      .resolve_before_commit = resolve_messages_first(traits.cheap_reads, traits.group_commit,
                                                      std::thread::hardware_concurrency())};
  api::Hl7IngestOptions ingest_options;
  ingest_options.mapping = options.map ? &mapping : nullptr;
  api::Hl7Ingest ingest(**store, *clock, *ids, std::move(ingest_options));
  const api::RestHandler rest(**store, *clock, *ids, limits);
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  const auto started = std::chrono::steady_clock::now();
  std::map<std::string, int> codes;
  std::size_t units = 0, duplicates = 0, versions = 0, claims = 0, bytes = 0, done_files = 0;
  bool all_accepted = true;
  struct InFlight {
    std::string where;  // "FILE#N CONTROL-ID"
    std::future<api::Hl7IngestResult> result;
  };
  std::deque<InFlight> in_flight;
  auto report_oldest = [&] {
    InFlight unit = std::move(in_flight.front());
    in_flight.pop_front();
    api::Hl7IngestResult result = unit.result.get();
    std::string code = result.ack_code.empty() ? "none" : result.ack_code;
    if (result.hang_up && !result.store_error.empty()) code = "store-error";
    ++codes[code];
    duplicates += result.duplicate ? 1 : 0;
    versions += result.written.size();
    for (const std::string& v : result.written) claims += v.starts_with("Claim/") ? 1 : 0;
    if (!accepted(code)) {
      all_accepted = false;
      if (terminal) err << "\r";
      out << unit.where << " " << code;
      if (!result.store_error.empty()) out << " " << result.store_error;
      out << "\n";
    }
  };
  // A FHIR file: after the units before it (its conditionals may name what they wrote).
  auto import_fhir = [&](const std::string& file, std::string text, std::string_view type) {
    while (!in_flight.empty()) report_oldest();
    ++units;
    const BundleImport result = import_bundle(rest, std::move(text), type);
    ++codes[std::to_string(result.status)];
    versions += result.written;
    if (result.status != 200 || result.failed > 0) {
      all_accepted = false;
      if (terminal) err << "\r";
      out << file << " " << result.status;
      if (result.failed > 0) out << " " << result.failed << " entry(ies) failed";
      if (!result.error.empty()) out << " " << result.error;
      out << "\n";
    }
  };
  for (const std::string& file : files) {
    std::string text = read_file(file);
    bytes += text.size();
    if (std::optional<std::string_view> type = fhir_content_type(text)) {
      import_fhir(file, std::move(text), *type);
      ++done_files;
      if (terminal) progress(err, done_files, files.size());
      continue;
    }
    int index = 0;
    for (FileMessage& unit : split_messages(text)) {
      ++index;
      ++units;
      auto promise = std::make_shared<std::promise<api::Hl7IngestResult>>();
      in_flight.push_back(
          {file + "#" + std::to_string(index) + " " + unit.control_id, promise->get_future()});
      ingest.ingest(std::move(unit.text), api::Hl7Peer("import:" + file), nullptr,
                    [promise](api::Hl7IngestResult r) { promise->set_value(std::move(r)); });
      if (in_flight.size() >= kInFlight) report_oldest();
    }
    ++done_files;
    if (terminal) progress(err, done_files, files.size());
  }
  while (!in_flight.empty()) report_oldest();
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
