// Internal to storage/: PostgreSQL array literals built in a reused string, for inserting many
// index rows with one statement (columns bound as arrays, expanded by unnest()).
// Thread-safety: none (the caller's strings).
#pragma once

#include <charconv>
#include <string>
#include <string_view>

namespace hearth::storage::detail {

// Appends `value` to `array`, a literal being built ("{" then elements, "}" added by the
// caller): {"a","b\"c"}.
inline void append_text_element(std::string& array, std::string_view value) {
  array += array.size() > 1 ? ",\"" : "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') array.push_back('\\');
    array.push_back(c);
  }
  array.push_back('"');
}

// The same for a number ({1,2.5}); the shortest text that reads back as `value`.
template <typename Number>
void append_number_element(std::string& array, Number value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (array.size() > 1) array.push_back(',');
  array.append(buffer, ec == std::errc() ? end : buffer);
}

}  // namespace hearth::storage::detail
