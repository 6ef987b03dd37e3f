// The instants a FHIR date, dateTime or instant covers (search.html#date): "2020" is the whole
// year, "2020-03-04T10:00" the whole minute. Search compares such ranges, never single points.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace hearth::fhir::search {

// Both ends inclusive, in microseconds since the Unix epoch (UTC).
struct DateRange {
  std::int64_t low = std::numeric_limits<std::int64_t>::min();   // open start: min()
  std::int64_t high = std::numeric_limits<std::int64_t>::max();  // open end: max()
};

// The range of a FHIR date/dateTime/instant text ("2020", "2020-03", "2020-03-04",
// "2020-03-04T10:00Z", "2020-03-04T10:00:05.123+02:00"). A value with a time but no offset is
// read as UTC (the server's zone). nullopt when malformed.
std::optional<DateRange> date_range(std::string_view text);

}  // namespace hearth::fhir::search
