// URL and form encoding (RFC 3986 percent-encoding, application/x-www-form-urlencoded): the
// query strings and form bodies FHIR search arrives in, and the links Bundles carry back.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hearth {

// Percent-decodes `in` into `out` (replacing its contents); with `plus_as_space` a '+' becomes
// ' ' (query strings). Returns false on a malformed escape.
bool percent_decode(std::string_view in, bool plus_as_space, std::string& out);

// Splits a query string or form body ("a=1&b=x+y") into decoded pairs appended to `out`. A key
// without '=' gets an empty value; empty pieces ("a=1&&b=2") are skipped. Returns false on a
// malformed escape.
bool parse_query(std::string_view query, std::vector<std::pair<std::string, std::string>>& out);

// Percent-encodes (uppercase hex) everything but RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~) and the characters of `keep`.
std::string percent_encode(std::string_view s, std::string_view keep = {});

// percent_encode keeping ':' too, which FHIR search values often hold (dates, URIs): the
// Bundle links stay readable.
std::string url_encode(std::string_view s);

}  // namespace hearth
