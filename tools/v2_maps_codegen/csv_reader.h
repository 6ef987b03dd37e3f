// RFC 4180 CSV as the IG's spreadsheets export it: comma-separated, fields in double quotes
// may hold commas, doubled quotes and line breaks; a UTF-8 byte order mark is skipped; lines
// end in LF or CRLF.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hearth::codegen {

using CsvRow = std::vector<std::string>;

// Every row of `text`. An unterminated quoted field ends at the end of the text.
std::vector<CsvRow> parse_csv(std::string_view text);

}  // namespace hearth::codegen
