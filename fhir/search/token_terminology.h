// Token search modifiers answered from the terminology Hearth holds (search.html#token; the
// built-in one, or a TerminologySource that adds the stored resources): `:in` and
// `:not-in` (the value is a value set canonical: a code of the value set, or none), `:below`
// and `:above` (the value is system|code of a code system Hearth holds: the code or one it
// subsumes, the code or one that subsumes it). Each clause is rewritten at parse time into the
// plain system|code alternatives (`:not-in` into `:not`), so the store matches tokens as usual;
// each code also as |code (no system), which is how a `code` element such as Patient.gender is
// indexed (its binding implies the system).
#pragma once

#include <cstddef>

#include "core/status.h"
#include "fhir/search/search_query.h"
#include "fhir/terminology/expansion.h"

namespace hearth::fhir::search::detail {

// Codes one such clause may become; past it the search is refused rather than sent to the
// database as an unbounded OR.
inline constexpr std::size_t kMaxTerminologyCodes = 1000;

// Rewrites `clause` (a token parameter with modifier kIn, kNotIn, kBelow or kAbove) into
// kNone or kNot with the codes it stands for. Errors, kInvalidArgument naming the parameter:
// a value set or code system `source` does not hold (the built-in ones when null), a value set
// Hearth cannot expand
// (fhir/terminology/expansion.h), a :below/:above value without a system or with a code not in
// it, more than kMaxTerminologyCodes codes.
Status expand_terminology_clause(SearchClause& clause,
                                 terminology::TerminologySource* source = nullptr);

}  // namespace hearth::fhir::search::detail
