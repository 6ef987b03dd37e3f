// `hearth import --store URL FILE|DIR...`: ingests HL7 v2 messages and X12 interchanges from
// files straight into a store, through the pipeline the MLLP listener uses (api::Hl7Ingest: parse,
// acknowledgment, archive and FHIR mapping in one store transaction per message or interchange;
// an identical resend is a duplicate and writes nothing). Files are read as `hearth send` reads
// them (message_files.h): an X12 file is one unit, a v2 file one unit per message. FHIR Bundles
// are not imported (POST them to the REST API).
//
// Prints one line per unit that is not accepted ("FILE#N CONTROL-ID CODE NOTE") on `out`, a
// progress bar on `err` when it is a terminal, and a summary: units by acknowledgment code
// (AA/CA or A accepted; P partly; AE/AR/CE/CR or R not), duplicates, resource versions and Claims
// written, seconds and units, claims and MB per second.
// Returns 0 when every unit was accepted, 1 when some were not, 2 for an unreadable path or bad
// option, 3 when the store cannot be opened.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace hearth::server {

struct ImportOptions {
  std::string store;
  std::string blob_dir;  // --blob-dir
  std::vector<std::string> paths;
  bool map = true;  // --mapping map|off: write FHIR resources, or archive and acknowledge only
};

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace hearth::server
