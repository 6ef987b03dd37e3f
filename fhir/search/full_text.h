// Full-text search (search.html#_text, #_content): the words of a resource that `_text` (its
// narrative) and `_content` (the whole resource) search, and the words of a search value, in one
// form both engines index alike (SQLite FTS5, PostgreSQL tsvector): words folded as string
// search folds them (fold_text: case and accents dropped), separated by single spaces.
//
// A word is a run of letters and digits (ASCII, or any Unicode letter or digit); everything else
// separates words. Words longer than kMaxWordBytes are left out (base64 data, long tokens: no one
// searches them and PostgreSQL refuses lexemes over 2 KB); a resource's words appear once each
// (a search matches words, not phrases, so repeats add nothing), and its text stops at
// kMaxTextBytes (PostgreSQL's tsvector holds at most 1 MB).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/json.h"
#include "fhir/model.h"

namespace hearth::fhir::search {

inline constexpr std::size_t kMaxWordBytes = 64;
inline constexpr std::size_t kMaxTextBytes = 256 * 1024;
// Words of one search value (all must occur): a value with more is a 400.
inline constexpr std::size_t kMaxQueryWords = 32;

struct FullText {
  // The narrative's words: Resource.text.div with its XHTML tags dropped and character
  // references decoded. Empty when the resource has no narrative.
  std::string narrative;
  // Every string value of the resource (contained resources included; the narrative read as
  // above), except resourceType, the resource's id and its meta.versionId / meta.lastUpdated,
  // which the server sets (so a resource gives the same words before and after it is stored).
  // Numbers and booleans are not words of the content.
  std::string content;
};

// Reads `resource` once (no parse: the document the write already holds). Never fails; a value
// that is not an object gives empty texts.
FullText full_text(const JsonValue& resource);

// The words of a search value, in the form of FullText, each once, in order of appearance
// (empty when it holds none: the caller's 400).
std::vector<std::string> full_text_words(std::string_view value);

// Adds to `text` (a FullText's content or narrative, as full_text made it) each word of `value`
// it does not hold yet, within kMaxTextBytes: the text as if `value` had been one more string of
// the resource (index_values.h add_meta_source).
void add_words(std::string& text, std::string_view value);

// Is `param` _text or _content? Neither has rows of the ordinary index tables nor an
// expression: their words are kept in the store's full-text table.
bool is_full_text(const SearchParamDef& param);

}  // namespace hearth::fhir::search
