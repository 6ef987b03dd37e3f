// Splitting one field's bytes at a separator (repetition, component, subcomponent) on access,
// and rebuilding them when a value is set. Internal to the hl7 layer.
#pragma once

#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::hl7::detail {

// The `index`-th (0-based) piece of `text` split at `sep`, or nullopt when there are fewer.
inline std::optional<std::string_view> nth_piece(std::string_view text, char sep,
                                                 std::size_t index) {
  std::size_t begin = 0;
  for (std::size_t i = 0; i < index; ++i) {
    const void* hit = std::memchr(text.data() + begin, sep, text.size() - begin);
    if (hit == nullptr) return std::nullopt;
    begin = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data()) + 1;
  }
  std::size_t end = text.find(sep, begin);
  if (end == std::string_view::npos) end = text.size();
  return text.substr(begin, end - begin);
}

// `text` with its `index`-th piece replaced by make(old piece), adding separators when `text`
// has fewer pieces.
template <typename Make>
std::string replace_piece(std::string_view text, char sep, std::size_t index, Make make) {
  std::string out;
  std::size_t begin = 0;
  std::size_t count = 0;
  while (count < index) {
    std::size_t hit = text.find(sep, begin);
    if (hit == std::string_view::npos) break;
    begin = hit + 1;
    ++count;
  }
  if (count < index) {
    out.assign(text);
    out.append(index - count, sep);
    out += make(std::string_view());
    return out;
  }
  std::size_t end = text.find(sep, begin);
  if (end == std::string_view::npos) end = text.size();
  out.assign(text.substr(0, begin));
  out += make(text.substr(begin, end - begin));
  out.append(text.substr(end));
  return out;
}

}  // namespace hearth::hl7::detail
