// Escaping for XML 1.0 output, appended to one buffer without temporaries. Attribute values
// escape \t \n \r as character references so a parser's attribute-value normalisation gives the
// original text back.
#pragma once

#include <string>
#include <string_view>

namespace hearth::fhir::detail {

// Appends `text` escaped for a double-quoted attribute value. False (with `out` partially
// written) when `text` holds a character XML 1.0 cannot carry (controls other than \t \n \r,
// U+FFFE, U+FFFF).
bool append_attribute_escaped(std::string_view text, std::string& out);

// Appends `text` escaped as character data (& < > and " as the official examples do).
void append_text_escaped(std::string_view text, std::string& out);

}  // namespace hearth::fhir::detail
