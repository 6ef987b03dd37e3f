// Search-parameter extraction (search.html, "resource -> index values"): every value a
// resource holds for each R4 SearchParameter that applies to its type, found by evaluating the
// parameter's FHIRPath expression and converted to the plain form the index tables store.
// The store writes these rows in the same transaction as the resource; the query side
// (fhir/search/search_query.h) produces values in the same forms, so both meet in SQL.
//
// `param` fields are the SearchParameter's code ("family", "_tag"); they view the generated
// model tables (static storage), never the resource.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "fhir/search/full_text.h"

namespace hearth::fhir::search {

// string: HumanName / Address parts, string, markdown ... (one row per text part).
struct StringIndex {
  std::string_view param;
  std::string folded;  // fold_text(exact): matched by the default (prefix) and :contains
  std::string exact;   // as written: :exact
};

// token: code, Coding, CodeableConcept (one row per coding), Identifier, ContactPoint,
// boolean, id, string, uri used as tokens. A CodeableConcept.text is a row of its own with empty
// system and code (so :text finds it); each coding row's text is its folded display.
// ContactPoint rows hold the value with an empty system (R4 matches telecom on the value);
// booleans are "true" / "false".
// An Identifier with a type also gives, per type coding with a system and a code, a row for
// :of-type (search.html#token): system = kOfTypeMark + type system + "|" + type code, code = the
// identifier's value (of_type_system() builds it on both sides).
struct TokenIndex {
  std::string_view param;
  std::string system;  // "" when the value has none
  std::string code;    // the code / identifier value / "true" ...
  std::string text;    // folded display or CodeableConcept.text / Identifier.type.text: :text
};

// The start of an :of-type row's system: a control character no system a client searches by
// begins with (it may send one percent-encoded, and then finds these rows: the same resources).
inline constexpr std::string_view kOfTypeMark = "\x1f";
// The system of an :of-type row for an identifier whose type has the coding system|code.
std::string of_type_system(std::string_view type_system, std::string_view type_code);

// date: date, dateTime, instant, Period, Timing (events and repeat.boundsPeriod), and strings
// that parse as a date, as inclusive UTC micros (fhir/search/date_range.h). An open Period end
// is min() / max().
struct DateIndex {
  std::string_view param;
  std::int64_t low = 0;
  std::int64_t high = 0;
};

// number: integer, decimal.
struct NumberIndex {
  std::string_view param;
  double value = 0;
};

// quantity: Quantity (and its profiles: Age, Duration, Distance, Count ...); Money as value with
// system "urn:iso:std:iso:4217" and the currency as code. Range and SampledData are not indexed.
struct QuantityIndex {
  std::string_view param;
  double value = 0;
  std::string system;  // "" when none
  std::string code;    // Quantity.code, else Quantity.unit
};

// reference: Reference.reference, and canonical / uri reference parameters (the url as written;
// the target type and id too when the url, its "|version" aside, ends in Type/id:
// "http://x.org/fhir/Questionnaire/q1|2.0" -> Questionnaire, q1). A Reference with only an
// identifier or a display gives no row.
struct ReferenceIndex {
  std::string_view param;
  std::string target_type;  // "Patient" for "Patient/1" or ".../fhir/Patient/1"; "" unknown
  std::string target_id;    // "1"; "" when not a type/id reference
  std::string url;          // the reference as written (absolute URLs, canonicals, "#c1")
};

// uri: uri, url, canonical.
struct UriIndex {
  std::string_view param;
  std::string uri;
};

// composite (fhir/search/composite.h): the values of one component of one element the
// parameter's expression selects. `group` numbers those elements (from 0, per resource and
// parameter), `component` the component (0-based, the SearchParameter's order); the value sits
// in the fields its component parameter's type fills in that type's own row above (token:
// system, code, text; string: folded, exact; date: low, high; number: value; quantity: value,
// system, code; reference: target_type, target_id, url), the others stay empty.
struct CompositeIndex {
  std::string_view param;  // the composite's code
  std::uint32_t group = 0;
  std::uint32_t component = 0;
  std::string system, code, text, folded, exact;
  std::int64_t low = 0;
  std::int64_t high = 0;
  double value = 0;
  std::string target_type, target_id, url;
};

// phonetic (fhir/search/phonetic.h): a sound-alike key and the folded name part that gives it.
// Not a row of the resource: an entry of the store's dictionary of the names it has seen, which a
// phonetic search reads to find the spellings of its key among the name rows (string rows of
// the parameter with the same expression, Patient `name`).
struct PhoneticName {
  std::string key;     // "S530"
  std::string folded;  // fold_text of the part: "smith", "van dyke"
};

struct IndexValues {
  std::vector<StringIndex> strings;
  std::vector<TokenIndex> tokens;
  std::vector<DateIndex> dates;
  std::vector<NumberIndex> numbers;
  std::vector<QuantityIndex> quantities;
  std::vector<ReferenceIndex> references;
  std::vector<UriIndex> uris;
  std::vector<CompositeIndex> composites;
  std::vector<PhoneticName> phonetic_names;  // not counted by size(): no rows of the resource
  // _text and _content (fhir/search/full_text.h): one row of the full-text table, not counted by
  // size().
  FullText text;

  std::size_t size() const {
    return strings.size() + tokens.size() + dates.size() + numbers.size() + quantities.size() +
           references.size() + uris.size() + composites.size();
  }
};

// The default cap on the rows one resource may produce (--max-index-rows). The largest of the
// 5,305 official R4 examples, ValueSet-c80-doc-typecodes, produces 6,412 rows (printed by
// tests/unit/fhir/search_extract_test.cpp); the default leaves ten times that room.
inline constexpr std::size_t kDefaultMaxIndexRows = 65536;

// Thread-safe; the expressions are compiled on the first call (about 10 ms), once per process.
// resolve() in an expression yields an empty resource of the type a literal reference names, so
// `subject.where(resolve() is Patient)` keeps "Patient/1" without loading anything.
// Evaluates every SearchParameter that applies to the resource's type (its own and the
// Resource/DomainResource ones) except `_id` and `_lastUpdated`, which the store answers from
// the resource row, and special ones. Duplicate rows of one parameter are dropped. The words of
// _text and _content come from the same document (full_text), in `text`.
// Errors: kInvalidArgument when `resource` has no known resourceType; kUnprocessable when it
// produces more than `max_rows` rows (after dropping duplicates; checked after each parameter,
// so at most one parameter's values are held beyond the cap). An expression that fails on this
// resource (e.g. a singleton expected) contributes nothing, never an error.
//
// A parameter whose expression cannot give anything on a resource that lacks certain children
// (fhirpath::emptiness_guards: `Observation.basedOn` without `basedOn`) is not evaluated on such
// a resource: most of a type's parameters, on most resources. IndexGuards::kOff evaluates every
// one (the tests compare both ways on the official examples).
//
// Most expressions are plain paths (`Observation.code`, `Observation.subject.where(resolve() is
// Patient)`, unions of such): those are walked (fhirpath/path_walk.h) instead of evaluated, to
// the same rows. IndexPaths::kEvaluate evaluates every one (the tests compare both ways on the
// official examples).
//
// An umbrella parameter whose parts hold every row it gives (fhir/search/param_parts.h,
// held_by_parts: Observation `combo-code` = `code` | `component-code`) is not evaluated: the
// index stores its rows as its parts', and a search on it reads theirs. HeldUmbrellas::kExtract
// evaluates it too (the tests check on the official examples that its rows are its parts').
enum class IndexGuards : std::uint8_t { kOn, kOff };
enum class IndexPaths : std::uint8_t { kWalk, kEvaluate };
enum class HeldUmbrellas : std::uint8_t { kSkip, kExtract };
Result<IndexValues> extract_index(const JsonValue& resource,
                                  std::size_t max_rows = kDefaultMaxIndexRows,
                                  IndexGuards guards = IndexGuards::kOn,
                                  IndexPaths paths = IndexPaths::kWalk,
                                  HeldUmbrellas held = HeldUmbrellas::kSkip);

// Adds to `values`, extracted from a resource without meta.source, what `source` as its
// meta.source gives: the `_source` row and its words in the content text. An HL7 message's
// resources are indexed before the transaction that numbers the message, which their meta.source
// names (api/rest/entry_runner.h); the result is what extract_index gives with the source set.
void add_meta_source(IndexValues& values, std::string_view source);

// Does the index hold this parameter's values? False for special parameters, composites whose
// components composite_components() does not resolve, parameters without an expression, and
// _id / _lastUpdated (resource row columns).
bool is_indexed(const SearchParamDef& param);

// Is `param` a sound-alike one (xpathUsage "phonetic", fhir/search/phonetic.h)? It has no rows
// of its own: its values become PhoneticName entries, and a search value is read as its key.
bool is_phonetic(const SearchParamDef& param);

}  // namespace hearth::fhir::search
