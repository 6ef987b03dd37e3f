// Sound-alike matching for the `phonetic` search parameters (R4 SearchParameters whose
// xpathUsage is "phonetic": Patient, Person, Practitioner and RelatedPerson `phonetic`, over
// HumanName): American Soundex, as the US National Archives define it (the rule used by
// HAPI FHIR's SOUNDEX encoder and by most databases' SOUNDEX()):
//   1. keep the first letter (upper case);
//   2. code the others b f p v -> 1; c g j k q s x z -> 2; d t -> 3; l -> 4; m n -> 5; r -> 6;
//      vowels (a e i o u y) -> none, h and w -> none;
//   3. drop a code equal to the one before it, also when only h or w stands between them (a
//      vowel between them keeps both), and the first letter's own code after it;
//   4. pad with 0 or cut to one letter and three digits.
// "Robert" and "Rupert" -> R163, "Ashcraft" -> A261, "Tymczak" -> T522, "Pfister" -> P236.
// Letters are read after fold_text (accents and case dropped); other characters are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fhir/model.h"

namespace hearth::fhir::search {

// The Soundex code of `text` taken as one word; "" when it holds no ASCII letter.
std::string soundex(std::string_view text);

// The index keys of a name part: the code of each of its words (split on anything not a
// letter, after fold_text) and, when it has several, of the whole part; each once.
// "van Dyke" -> V500, D200, V532.
std::vector<std::string> phonetic_keys(std::string_view text);

// The parameter whose string rows a search by phonetic `param` of `resource_type` reads: the
// type's `name` string parameter when its expression, pruned to the type, is phonetic's (Patient
// `name` for Patient `phonetic`); nullptr otherwise (Organization: `name` also holds `alias`).
const SearchParamDef* phonetic_source(std::string_view resource_type, const SearchParamDef& param);

// Does every base type of `param` have a phonetic_source? (R4: individual-phonetic yes;
// Organization and InsurancePlan phonetic no, so they are not indexed.)
bool has_phonetic_source(const SearchParamDef& param);

}  // namespace hearth::fhir::search
