// The ER7 delimiters of one message, read from MSH-1 (field separator) and MSH-2 (encoding
// characters: component, repetition, escape, subcomponent and, from v2.7, truncation).
#pragma once

#include <string_view>

#include "hl7/v2/error_code.h"

namespace hearth::hl7 {

struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = '\0';  // '\0' when MSH-2 has only four characters

  // True for the five (six) delimiter characters.
  bool is_delimiter(char c) const {
    return c == field || c == component || c == repetition || c == escape || c == subcomponent ||
           (truncation != '\0' && c == truncation);
  }
  // The MSH-2 text ("^~\&" or "^~\&#").
  std::string encoding_characters() const;
};

// Reads the delimiters from a header segment's text starting at its 3-letter id ("MSH|^~\&|...",
// also FHS/BHS). Fails with kDataTypeError at MSH-1/MSH-2 when the separator is missing, when
// MSH-2 is not 4 or 5 characters, or when a delimiter is repeated, alphanumeric, a space or a
// line break.
bool parse_delimiters(std::string_view header, Delimiters* out, ParseError* error);

}  // namespace hearth::hl7
