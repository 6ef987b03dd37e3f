// Reading a header that failed to parse: only the first line, only its first 12 fields.
#include "hl7/v2/loose_header.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace hearth::hl7 {

LooseHeader read_loose_header(std::string_view raw) {
  LooseHeader h;
  const std::size_t start = raw.find("MSH");
  if (start == std::string_view::npos || raw.size() < start + 4) return h;
  std::string_view line = raw.substr(start);
  line = line.substr(0, std::min(line.find_first_of("\r\n"), line.size()));
  const char separator = line[3];
  // pieces[n - 1] is MSH-n; MSH-1 is the separator itself, so piece 0 is "MSH".
  std::array<std::string_view, 12> pieces{};
  std::size_t from = 0;
  for (std::string_view& piece : pieces) {
    const std::size_t at = line.find(separator, from);
    piece = line.substr(from, at == std::string_view::npos ? line.npos : at - from);
    if (at == std::string_view::npos) break;
    from = at + 1;
  }
  auto msh = [&](std::size_t n) { return std::string(pieces[n - 1]); };
  h.sender = msh(3) + "|" + msh(4);
  h.control_id = msh(10);
  h.message_type = msh(9);
  // "ORU^R01^ORU_R01" -> "ORU^R01", as for parsed messages.
  if (line.size() > 4) {
    const char component = line[4];
    const std::size_t first = h.message_type.find(component);
    const std::size_t second =
        first == std::string::npos ? first : h.message_type.find(component, first + 1);
    if (second != std::string::npos) h.message_type.resize(second);
  }
  h.version = msh(12);
  return h;
}

}  // namespace hearth::hl7
