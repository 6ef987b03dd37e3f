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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "hl7/to_fhir/system_base.h"

namespace hearth::hl7::to_fhir {

struct ConversionOptions {
  std::string default_offset = "Z";  // "Z" or "+hh:mm" / "-hh:mm"
  // Identifier systems per sending facility (system_base.h); empty: none configured.
  std::vector<SystemBase> system_bases;
};

// A FHIR dateTime with a time of day and a zone ("2018-10-17T22:28:05Z", "...+02:15") plus
// `seconds`, written in the same zone, to the second; "" when `date_time` has no time or zone.
std::string add_seconds(std::string_view date_time, std::int64_t seconds);

// The seconds in `count` of a v2 duration unit (AIS-8, AIG-12, SCH-10: "MIN", "min", "s", "h",
// "d", "wk"; ISO+ or UCUM, any case); minutes when `unit` is empty (the v2 default). nullopt for
// a unit that is not a duration or a count that is not a whole number.
std::optional<std::int64_t> duration_seconds(std::string_view count, std::string_view unit);

// kInvalidArgument naming the FHIR type when `text` is not a value of it.
Result<std::string> to_fhir_primitive(std::string_view text, std::string_view fhir_type,
                                      const ConversionOptions& options = {});

}  // namespace hearth::hl7::to_fhir
