// Instants as text: FHIR `instant` (RFC 3339 with milliseconds or finer) and the HTTP date of
// RFC 7231 (Last-Modified). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth {

// "2026-11-23T18:15:20.123456Z" (microsecond precision, UTC). FHIR's instant allows any
// fractional precision; keeping microseconds keeps versions of fast successive writes distinct.
std::string format_instant(std::int64_t micros);

// "Mon, 23 Nov 2026 18:15:20 GMT".
std::string format_http_date(std::int64_t micros);

// Parses an HTTP date in the RFC 7231 IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT", the
// only one HTTP/1.1 senders may generate) into micros. nullopt when malformed.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Parses a FHIR dateTime / instant with at least a year ("2026", "2026-11",
// "2026-11-23", "2026-11-23T18:15:20Z", "...+02:00", fractional seconds) into the micros of its
// earliest instant; a value without a zone is read as UTC. nullopt when malformed.
std::optional<std::int64_t> parse_instant_lower_bound(std::string_view text);

}  // namespace hearth
