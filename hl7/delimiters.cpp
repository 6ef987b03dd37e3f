// Delimiter validation: any printable, non-alphanumeric, pairwise distinct characters are legal.
#include "hl7/delimiters.h"

#include <string>

namespace hearth::hl7 {
namespace {

bool legal_delimiter(unsigned char c) {
  bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  return c > ' ' && c < 0x7F && !alnum;
}

bool fail(ParseError* error, int field, std::string message) {
  if (error != nullptr) {
    error->code = ErrorCode::kDataTypeError;
    error->location = ErrorLocation{"MSH", 1, field, 0, 0, 0};
    error->message = std::move(message);
  }
  return false;
}

}  // namespace

std::string Delimiters::encoding_characters() const {
  std::string out{component, repetition, escape, subcomponent};
  if (truncation != '\0') out += truncation;
  return out;
}

bool parse_delimiters(std::string_view header, Delimiters* out, ParseError* error) {
  if (header.size() < 4) return fail(error, 1, "header segment ends before its field separator");
  const char fs = header[3];
  if (!legal_delimiter(static_cast<unsigned char>(fs))) {
    return fail(error, 1, "field separator is not a printable non-alphanumeric character");
  }
  std::string_view rest = header.substr(4);
  std::size_t length = 0;
  while (length < rest.size() && rest[length] != fs && rest[length] != '\r' &&
         rest[length] != '\n') {
    ++length;
  }
  if (length < 4 || length > 5) {
    return fail(error, 2,
                "encoding characters must be 4 (or, from v2.7, 5) characters, found " +
                    std::to_string(length));
  }
  std::string_view enc = rest.substr(0, length);
  std::string all{fs};
  for (char c : enc) {
    if (!legal_delimiter(static_cast<unsigned char>(c))) {
      return fail(error, 2, "encoding character is not a printable non-alphanumeric character");
    }
    if (all.find(c) != std::string::npos) {
      return fail(error, 2, std::string("delimiter '") + c + "' is used twice");
    }
    all += c;
  }
  out->field = fs;
  out->component = enc[0];
  out->repetition = enc[1];
  out->escape = enc[2];
  out->subcomponent = enc[3];
  out->truncation = length == 5 ? enc[4] : '\0';
  return true;
}

}  // namespace hearth::hl7
