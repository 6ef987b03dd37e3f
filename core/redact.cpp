// Two scans: URL userinfo, then password= keywords.
#include "core/redact.h"

#include <cctype>

namespace hearth {
namespace {

constexpr std::string_view kMask = "***";

// "scheme://user:secret@host" -> "scheme://user:***@host": the userinfo ends at the last '@'
// before the authority ends ('/', '?', '#', whitespace, a quote or the end).
std::string redact_userinfo(std::string_view text) {
  std::string out;
  std::size_t done = 0;
  for (std::size_t at = text.find("://"); at != std::string_view::npos;
       at = text.find("://", at + 3)) {
    const std::size_t start = at + 3;
    std::size_t end = start;
    while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != '#' &&
           text[end] != '\'' && text[end] != '"' &&
           !std::isspace(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    const std::size_t amp = text.rfind('@', end == 0 ? 0 : end - 1);
    if (amp == std::string_view::npos || amp < start || amp >= end) continue;
    const std::size_t colon = text.find(':', start);
    if (colon == std::string_view::npos || colon >= amp) continue;
    out.append(text, done, colon + 1 - done);
    out += kMask;
    done = amp;
  }
  out.append(text, done);
  return out;
}

bool iequals_at(std::string_view text, std::size_t i, std::string_view word) {
  if (i + word.size() > text.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(text[i + k])) != word[k]) return false;
  }
  return true;
}

// "password=secret", "password = 'a \' b'", "?password=secret&x=1" -> "password=***".
std::string redact_password_keywords(std::string_view text) {
  constexpr std::string_view kKey = "password";
  std::string out;
  std::size_t done = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!iequals_at(text, i, kKey)) continue;
    std::size_t j = i + kKey.size();
    while (j < text.size() && text[j] == ' ') ++j;
    if (j >= text.size() || text[j] != '=') continue;
    ++j;
    while (j < text.size() && text[j] == ' ') ++j;
    std::size_t end = j;
    if (end < text.size() && (text[end] == '\'' || text[end] == '"')) {
      const char quote = text[end++];
      while (end < text.size() && text[end] != quote) end += text[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, text.size());
    } else {
      // An unquoted value ends at the next parameter, a blank or a quote that closes the text
      // around it ("store 'postgresql://h/db?password=x': refused").
      while (end < text.size() && text[end] != '&' && text[end] != ';' && text[end] != '\'' &&
             text[end] != '"' && !std::isspace(static_cast<unsigned char>(text[end]))) {
        ++end;
      }
    }
    out.append(text, done, j - done);
    out += kMask;
    done = end;
    i = end == 0 ? 0 : end - 1;
  }
  out.append(text, done);
  return out;
}

}  // namespace

std::string redact_credentials(std::string_view text) {
  return redact_password_keywords(redact_userinfo(text));
}

}  // namespace hearth
