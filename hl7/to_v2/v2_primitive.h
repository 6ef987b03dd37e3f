// FHIR primitives as v2 values, the inverse of hl7/to_fhir/primitive_conversion.h:
//   date      "1962-03-20", "1962-03", "1962"                     -> "19620320", "196203", "1962"
//   dateTime  "2012-04-10T16:02:27Z", "...T16:02:27.5-05:00"      -> "20120410160227+0000",
//             (instant alike)                                        "20120410160227.5-0500"
//   time      "12:30:00", "12:30:00.25"                            -> "123000", "123000.25"
//   boolean   true / false                                        -> "Y" / "N"
//   anything else (decimal, integer, code, string, uri ...): the text as it is
// A second's fraction keeps at most the 4 digits a DTM has (".000000" is left out). A time of day
// always carries its zone: FHIR requires one, and v2 without an offset would be
// "local time" (Hearth reads it back in its default offset, Z).
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hearth::hl7::to_v2 {

// `text` is the FHIR JSON value's text (a number or boolean as written in the JSON).
// kind: "date", "dateTime", "instant", "time", "boolean" convert as above; any other is as is.
// A value that is not of its kind is returned as is (the store only holds valid FHIR).
std::string v2_from_fhir(std::string_view text, std::string_view fhir_type);

// The FHIR primitive type of a dateTime-like text by its shape: "dateTime" when it looks like a
// FHIR date or dateTime ("2012-04-10", "2012-04-10T16:02:27Z"), "time" for "12:30:00", else "".
std::string_view temporal_kind(std::string_view text);

}  // namespace hearth::hl7::to_v2
