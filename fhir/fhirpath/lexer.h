// The FHIRPath lexer: expression text -> tokens with 1-based positions. Comments (// and /* */)
// and whitespace are skipped; string and delimited-identifier escapes are decoded here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hearth::fhir::fhirpath::detail {

enum class Tok : std::uint8_t {
  kEnd,
  kIdentifier,  // name, or `delimited name` (text decoded, delimited = true)
  kString,      // 'text' (decoded)
  kInteger,     // 123
  kDecimal,     // 1.5
  kLong,        // 123L
  kDateTime,    // @2014-01-05T10:00 (text without '@')
  kDate,        // @2014-01-05
  kTime,        // @T10:00 (text without "@T")
  kVariable,    // %name, %`name`, %'name' (text without '%')
  kSpecial,     // $this, $index, $total (text without '$')
  kSymbol,      // . , ( ) [ ] { } + - * / | & = != ~ !~ < > <= >=
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  std::uint32_t pos = 0;  // 1-based
  bool delimited = false;
};

// Errors: kInvalidArgument "at N: ..." for an unterminated string/comment, a bad escape or an
// unexpected character.
Result<std::vector<Token>> tokenize(std::string_view text);

// Builds the error every compile stage returns.
Status syntax_error(std::uint32_t pos, std::string_view message);

}  // namespace hearth::fhir::fhirpath::detail
