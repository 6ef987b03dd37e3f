// Search request parsing (search.html): a query string -> a typed query over the index values
// of fhir/search/index_values.h. Everything the store needs is decided here (which parameter,
// which modifier, the value ranges), so the SQL compiler (storage/) only translates.
//
// Handling of what is not understood (search.html#errors): an unknown parameter name is
// ignored and left out of the self link (lenient, the default), or rejected with
// kInvalidArgument when `strict` (Prefer: handling=strict). A known parameter with a bad value,
// an unknown or unsupported modifier, a chain, or a prefix its type does not allow is always
// kInvalidArgument: guessing would return wrong matches.
//
// Chains (`subject:Patient.name=peter`, search.html#chaining) and reverse chains
// (`_has:Observation:patient:code=x`, search.html#has) become a clause whose `chain` leads from
// the searched type to the type its parameter belongs to; _include and _revinclude
// (search.html#include) become IncludeDirectives, which the REST layer resolves after the page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "fhir/model.h"
#include "fhir/resource_view.h"

namespace hearth::fhir::terminology {
class TerminologySource;
}

namespace hearth::fhir::search {

enum class Prefix : std::uint8_t { kEq, kNe, kGt, kLt, kGe, kLe, kSa, kEb, kAp };

enum class Modifier : std::uint8_t {
  kNone,
  kMissing,   // any type: value "true"/"false" in SearchValue::missing
  kExact,     // string
  kContains,  // string; uri: the value occurs in the stored uri (case-sensitive)
  kText,      // token: folded prefix match on display / text
  kNot,       // token: no row matches
  kType,      // reference: [param]:[Type]=id (type in SearchClause::target_type)
  kBelow,     // uri: prefix match; token: the code or one it subsumes (token_terminology.h)
  kAbove,     // uri: the value starts with the stored uri; token: the code or one subsuming it
  kIn,        // token: a code of the value set (rewritten at parse time, token_terminology.h)
  kNotIn,     // token: no code of the value set (rewritten into kNot)
  kOfType,    // token (identifiers): type-system|type-code|value (search.html#token)
};

// One value of a comma-separated (OR) list, parsed for its parameter type.
struct SearchValue {
  Prefix prefix = Prefix::kEq;
  // The value as given (prefix included), escapes (\, \$ \| \\) removed.
  std::string raw;
  // string: fold_text(raw); :exact uses raw. _text / _content: the value's words
  // (fhir/search/full_text.h), each once, separated by one space; all must occur.
  std::string folded;
  // token: "system|code" -> has_system, system, code. "|code": has_system with "" (no system).
  // "system|": has_system, code "" (any code). "code": !has_system. :text: `folded` instead.
  // :of-type "tsystem|tcode|value": has_system, system of_type_system(tsystem, tcode), code value.
  // quantity: "n|system|code" -> has_system; "n||code" -> !has_system (any system), code;
  // "n" -> !has_system, code "". code also matches the stored unit.
  bool has_system = false;
  std::string system;
  std::string code;
  // date: the search value's range (date_range of raw without the prefix).
  std::int64_t low = 0;
  std::int64_t high = 0;
  // number and quantity: the value and its implied precision range [number_low, number_high)
  // ("100" -> [99.5, 100.5), "100.00" -> [99.995, 100.005), "1e2" -> [50, 150): half a unit
  // of the last significant digit; see search_value_parse.h). Prefixes sa and eb are rejected.
  double number = 0;
  double number_low = 0;
  double number_high = 0;
  // reference: "Patient/1" or an absolute URL under `base_url` -> type + id; "1" -> id only
  // (any target type); another absolute URL, a canonical ("url|version", kept whole; without a
  // version it matches every version, search.html#versions) or a "#fragment" -> url, as
  // written; so does "Type/id|version". "Patient/1/_history/2" drops the version. With the :[Type]
  // modifier the value is the id and target_type is the modifier's type.
  std::string target_type;
  std::string target_id;
  std::string url;
  // :missing
  bool missing = false;
  // composite (fhir/search/composite.h): "a$b" -> one value per component, each read as its
  // component parameter reads it (prefixes included: "...|8480-6$gt100").
  std::vector<SearchValue> components;
};

// One step of a chain, from the type before it to the type after it (`type`).
// Forward (`subject:Patient.name`): `param` is a reference parameter of the type before, and
// the step goes to its target `type`. Reverse (`_has:Observation:patient:...`): `type` is the
// referring type and `param` its reference parameter that points back at the type before.
struct ChainLink {
  bool reverse = false;
  const SearchParamDef* param = nullptr;
  std::string type;
};

// Links one chained parameter may have (`a.b.c.d=x` has 3): 400 beyond.
inline constexpr std::size_t kMaxChainLinks = 4;

// One parameter occurrence: its values are ORed; clauses are ANDed.
struct SearchClause {
  // The links from the searched type to `param`'s type (empty: `param` is the searched type's
  // own). A chained clause has no :missing or :not (kInvalidArgument).
  std::vector<ChainLink> chain;
  const SearchParamDef* param = nullptr;
  std::string_view code;  // param->code
  Modifier modifier = Modifier::kNone;
  std::string target_type;  // :[Type] on a reference
  std::vector<SearchValue> values;
};

struct SortKey {
  const SearchParamDef* param = nullptr;  // _id and _lastUpdated included
  bool descending = false;
};

// _total (search.html#total): how Bundle.total is found. kAccurate counts every match; kNone
// counts nothing; kEstimate (the default) counts at most SearchQuery::estimate_cap matches: the
// exact total when there are no more, no total when there are (a first page never pays for
// counting a large set).
enum class TotalMode : std::uint8_t { kAccurate, kEstimate, kNone };

// The matches a _total=estimate search (the default) counts at most.
inline constexpr std::int64_t kEstimateCap = 1000;

// One _include or _revinclude value (search.html#include): "Source:param[:Target]",
// "Source:*" (every reference parameter of Source) or "*" (every reference parameter; for
// _include without :iterate, of the searched type).
// _include adds the resources that the page's resources (of `source_type`) reference through
// `param`; _revinclude adds the resources of `source_type` that reference them through `param`.
// Without :iterate a directive applies to the matches only; with it, also to every resource
// included, round after round until nothing new comes (bounded by the caller).
struct IncludeDirective {
  bool reverse = false;                   // _revinclude
  bool iterate = false;                   // :iterate
  std::string source_type;                // the referring type; "" for any ("*")
  const SearchParamDef* param = nullptr;  // nullptr: any reference parameter
  std::string target_type;                // the referenced type; "" for any
};

// Compartment search (GET [base]/Patient/1/Observation, compartmentdefinition.html): the
// resources of the searched type that the official CompartmentDefinition links to one resource,
// through any of `params` (its reference parameters, ORed), or that resource itself (`self`,
// "{def}"). ANDed with the clauses.
struct CompartmentFilter {
  std::string type;  // the compartment: Patient, Encounter, RelatedPerson, Practitioner, Device
  std::string id;
  std::vector<const SearchParamDef*> params;
  bool self = false;
  // Several compartments at once (Bulk Data's Group export): when not empty, the resources in
  // the compartment of any of these ids, and `id` plays no part.
  std::vector<std::string> ids;
  // Every compartment of `type` at once (Bulk Data's Patient export): the resources that link to
  // some `type` resource through `params`, and every `type` resource itself when `self`; `id`
  // and `ids` play no part.
  bool any_member = false;
};

struct SearchQuery {
  // The searched type; "" for a system-level search (GET [base]?..., search.html#searchall).
  std::string resource_type;
  // The types searched: {resource_type} for a type search; for a system search the _type list,
  // or empty for every type.
  std::vector<std::string> types;
  std::optional<CompartmentFilter> compartment;
  std::vector<SearchClause> clauses;
  std::vector<SortKey> sort;
  // _include and _revinclude, in order of appearance (each counts as a search parameter).
  std::vector<IncludeDirective> includes;
  int count = 20;           // _count: page size (0 = total only); larger values become kMaxCount
  std::int64_t offset = 0;  // _offset: entries to skip (before the first page only)
  // _cursor: the opaque keyset cursor of the paging links (storage::SearchPage), "" for the
  // first page. The store checks it.
  std::string cursor;
  TotalMode total = TotalMode::kEstimate;
  std::int64_t estimate_cap = kEstimateCap;  // for kEstimate
  // _summary=count: the total only.
  bool summary_count = false;
  // _summary=true|text|data and _elements (fhir/resource_view.h): how each returned resource is
  // cut down; full() when neither was given (or _summary=false).
  ResourceView view;
  // The parameters that took effect, in a canonical order and form, for the self link and
  // for building paging links (without _count / _offset): name as given (with its modifier)
  // and value as given, sorted by name, equal names in order of appearance. _sort, _total and
  // _summary are included (when repeated, the last one wins); empty values, unknown names
  // (lenient), _format and _pretty are not.
  std::vector<std::pair<std::string, std::string>> used;
  // Names ignored as unknown (lenient handling), for an OperationOutcome warning.
  std::vector<std::string> ignored;
};

inline constexpr int kDefaultCount = 20;
inline constexpr int kMaxCount = 1000;

// How much one search may ask for (issue 11: bounded memory whatever the input). Checked while
// the query is read, before any value past the limit is split or parsed and before any SQL
// exists, so an oversized query costs about its own size. The defaults are the server's
// (--search-max-params, --search-max-values, --search-max-sort).
struct SearchLimits {
  // Search parameters (filters, known or unknown, empty or not) per search. The result
  // parameters (_sort, _count, _offset, _cursor, _total, _summary, _elements) and _format /
  // _pretty are not
  // search parameters; at most kMaxResultParams of those may come on top.
  std::size_t max_params = 100;
  // Comma-separated (OR-ed) values of one parameter occurrence, empty ones included.
  std::size_t max_values = 100;
  // Keys of _sort.
  std::size_t max_sort = 10;
  // Where :in, :not-in, :below and :above find value sets and code systems (token_terminology.h):
  // the built-in ones when null; the REST search adds those stored in Hearth
  // (api/rest/terminology_source.h). Not owned; must outlive the parse.
  terminology::TerminologySource* terminology = nullptr;
};
// Occurrences of result parameters and _format / _pretty per search (each is read; the last
// one wins): room for every one of them, some twice.
inline constexpr std::size_t kMaxResultParams = 16;

// Parses the query parameters of a type-level search, or of a system-level search when
// `resource_type` is "" (search.html#searchall): then `_type=A,B` names the types searched (every
// type without it) and the other parameters must be defined, with one type, for each of them
// (without _type: the parameters of Resource, _id, _lastUpdated, _tag, ...). `base_url` (no
// trailing slash) tells local absolute references from foreign ones. A parameter with an empty
// value is ignored.
// Errors (all kInvalidArgument, the message naming the parameter or value): `resource_type`
// is not a resource type; _type on a type search, or naming an unknown type; in a system
// search, a chain or _has, a parameter whose type differs between the _type types, and an
// _include / _revinclude without :iterate whose source is none of them; an unknown name when
// `strict` (in a system search: a name one of the types lacks); _contained,
// _containedType, _list, _query, _filter, composite and special parameters (not
// supported); a modifier its type does not allow; a chain or _has that is malformed, names an
// unknown or non-reference parameter or type, is ambiguous (`subject.name` where two target
// types have `name`), has more than kMaxChainLinks links, or ends in :missing or :not; an
// _include or _revinclude that is malformed, names an unknown type or a non-reference
// parameter, or cannot apply to the searched type without :iterate; a malformed value, prefix,
// _count, _offset, _sort, _total, _summary or _elements (fhir/resource_view.h: unknown element
// names), or _elements with _summary=true|text|data; more parameters, values of one parameter or
// _sort keys than `limits` allow (the message names the limit and its flag).
Result<SearchQuery> parse_search(std::string_view resource_type,
                                 const std::vector<std::pair<std::string, std::string>>& params,
                                 std::string_view base_url, bool strict,
                                 const SearchLimits& limits = {});

// The error parse_search returns for too many parameters, for callers that count before
// reading (a form body): kInvalidArgument naming the limits.
Status too_many_params(const SearchLimits& limits);

}  // namespace hearth::fhir::search
