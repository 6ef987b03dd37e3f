// The normal form of text for string search (search.html#string): "matches ... ignoring case and
// accents". Both the index (fhir/search/index_values.h) and the query side fold with this one
// function, so "Chalmers", "CHALMERS" and "Chälmers" meet.
#pragma once

#include <string>
#include <string_view>

namespace hearth::fhir::search {

// Compatibility decomposition (NFKD), combining marks dropped, then Unicode case folding; the
// result is UTF-8. ASCII text (the common case) takes a fast path. Invalid UTF-8 bytes are
// kept as U+FFFD.
std::string fold_text(std::string_view text);

}  // namespace hearth::fhir::search
