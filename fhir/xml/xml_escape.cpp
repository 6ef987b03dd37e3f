// XML escaping: scan for the few bytes that need work and copy the runs between them.
#include "fhir/xml/xml_escape.h"

#include <array>

namespace hearth::fhir::detail {
namespace {

// The replacement for byte `c` in an attribute, "" when it is copied as is, or nullptr when XML
// cannot carry it.
const char* attribute_replacement(unsigned char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\t': return "&#x9;";
    case '\n': return "&#xA;";
    case '\r': return "&#xD;";
    default: return c < 0x20 ? nullptr : "";
  }
}

// U+FFFE and U+FFFF are not XML characters: EF BF BE / EF BF BF.
bool is_noncharacter_at(std::string_view text, std::size_t i) {
  return i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
         (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE;
}

// Bytes an attribute value cannot copy as they are: controls, & < > " and 0xEF (which starts
// U+FFFE/U+FFFF). Most values have none, so the loop below mostly tests one table entry a byte.
constexpr auto kAttributeAttention = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  for (int c : {int{'&'}, int{'<'}, int{'>'}, int{'"'}, 0xEF}) table[c] = true;
  return table;
}();

}  // namespace

bool append_attribute_escaped(std::string_view text, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!kAttributeAttention[c]) continue;
    if (c == 0xEF) {
      if (is_noncharacter_at(text, i)) return false;
      continue;
    }
    const char* replacement = attribute_replacement(c);
    if (replacement == nullptr) return false;
    if (*replacement == '\0') continue;
    out.append(text.data() + run, i - run);
    out.append(replacement);
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
  return true;
}

void append_text_escaped(std::string_view text, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* replacement = nullptr;
    switch (text[i]) {
      case '&': replacement = "&amp;"; break;
      case '<': replacement = "&lt;"; break;
      case '>': replacement = "&gt;"; break;
      case '"': replacement = "&quot;"; break;
      default: continue;
    }
    out.append(text.data() + run, i - run);
    out.append(replacement);
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
}

}  // namespace hearth::fhir::detail
