// Path syntax: SEG ( "[" n "]" )? "-" n ( "[" n "]" )? ( "." n ( "." n )? )?
#include "hl7/v2/path.h"

namespace hearth::hl7 {
namespace {

// Reads a positive decimal number at `pos`; 0 on failure.
int read_number(std::string_view text, std::size_t& pos) {
  int value = 0;
  std::size_t start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 6) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  return pos == start ? 0 : value;
}

bool read_bracket(std::string_view text, std::size_t& pos, int* out) {
  if (pos >= text.size() || text[pos] != '[') return true;
  ++pos;
  *out = read_number(text, pos);
  if (*out == 0 || pos >= text.size() || text[pos] != ']') return false;
  ++pos;
  return true;
}

}  // namespace

std::string Path::to_string() const {
  std::string out = segment;
  if (occurrence != 1) out += "[" + std::to_string(occurrence) + "]";
  out += "-" + std::to_string(field);
  if (repetition > 0) out += "[" + std::to_string(repetition) + "]";
  if (component > 0) out += "." + std::to_string(component);
  if (subcomponent > 0) out += "." + std::to_string(subcomponent);
  return out;
}

Result<Path> parse_path(std::string_view text) {
  auto bad = [&](const char* why) {
    return Status(Code::kInvalidArgument, "bad HL7 path '" + std::string(text) + "': " + why);
  };
  Path path;
  if (text.size() < 5) return bad("too short");
  for (int i = 0; i < 3; ++i) {
    char c = text[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return bad("segment id");
  }
  path.segment = std::string(text.substr(0, 3));
  std::size_t pos = 3;
  if (!read_bracket(text, pos, &path.occurrence)) return bad("segment occurrence");
  if (pos >= text.size() || text[pos] != '-') return bad("expected '-' and a field number");
  ++pos;
  path.field = read_number(text, pos);
  if (path.field == 0) return bad("field number");
  if (!read_bracket(text, pos, &path.repetition)) return bad("repetition");
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    path.component = read_number(text, pos);
    if (path.component == 0) return bad("component number");
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      path.subcomponent = read_number(text, pos);
      if (path.subcomponent == 0) return bad("subcomponent number");
    }
  }
  if (pos != text.size()) return bad("trailing text");
  return path;
}

}  // namespace hearth::hl7
