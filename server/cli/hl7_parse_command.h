// `hearth hl7 parse FILE [--json | --fhir]`: reads one HL7 v2 message, a batch, or several messages
// one after the other (CR, LF or CRLF, as hl7::Batch reads them) and prints each message's decoded
// structure (api/hl7_message_view.h): by default as an indented text tree, with --json as the
// JSON view the operating API shows in `parsed` (one message: that object; several: an array of
// them). Batch envelope segments (FHS, BHS, BTS, FTS) are not shown.
//
// Text tree: one line per segment ("PID", "OBX[2]" for a later occurrence), then one line per
// non-empty value labelled with its HL7 position, indented by level:
//   PID
//     PID-3[1]                 (repetitions numbered only when there are several)
//       PID-3[1].1  12345
//       PID-3[1].4  MRN
//     PID-5
//       PID-5.1  SMITH
//     PID-8  F
// Values are decoded (escapes, MSH-18 charset); a line break inside a value continues on the
// next line at the same indent.
//
// --fhir prints instead what the ingest would write for each message: the transaction Bundle
// of the V2-to-FHIR mapping after its repairs (hl7/to_fhir/bundle_repair.h), one per line, with
// the values left out, the repairs and any refusal on `err` (nothing is stored).
//
// Returns the exit code: 0 printed; 1 when the file cannot be read or does not parse (the
// parser's message, table 0357 code and location on `err`).
#pragma once

#include <iosfwd>
#include <string>

#include "api/hl7/view_json.h"

namespace hearth::server {

struct Hl7ParseOptions {
  std::string path;
  bool json = false;
  bool fhir = false;
};

int run_hl7_parse(const Hl7ParseOptions& options, std::ostream& out, std::ostream& err);

// The text tree of one message (format above), each line ending in '\n'.
std::string hl7_tree_text(const hl7::MessageView& view);

}  // namespace hearth::server
