// v2 values as FHIR primitives: the IG's maps send a v2 DTM to a FHIR dateTime, an NM to a
// decimal, an ID to a code; this converts the text and refuses what the FHIR type cannot hold.
//   date      "19620320", "196203", "1962" (a DTM's date part)      -> "1962-03-20", "1962-03"
//   dateTime  "196203201230", "19620320123045.12-0500", "19620320"  -> "1962-03-20T12:30:00Z",
//             "1962-03-20T12:30:45.12-05:00", "1962-03-20"
//   instant   as dateTime, to the second at least
//   time      "1230", "123045"                                       -> "12:30:00", "12:30:45"
//   boolean   Y / N (also T / F, 1 / 0, true / false, any case)     -> "true", "false"
//   integer, positiveInt, unsignedInt, decimal: a v2 number ("+007.50" -> "7.50")
//   code      the text with runs of white space made one space; id: no white space
//   uri, url  white space inside percent-encoded ("NIST MPI" -> "NIST%20MPI"), none around
//   anything else (string, markdown, ...): the text as it is
// A v2 time without an offset is read in `default_offset` ("Z" unless configured): FHIR requires
// one whenever a time is given.
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::hl7::to_fhir {

struct ConversionOptions {
  std::string default_offset = "Z";  // "Z" or "+hh:mm" / "-hh:mm"
};

// kInvalidArgument naming the FHIR type when `text` is not a value of it.
Result<std::string> to_fhir_primitive(std::string_view text, std::string_view fhir_type,
                                      const ConversionOptions& options = {});

}  // namespace hearth::hl7::to_fhir
