// The FHIRPath parser: tokens -> AST (ast.h), by precedence climbing over the grammar of
// http://hl7.org/fhirpath/N1/grammar.html. Binds function calls to the function table and checks
// their argument counts. Nesting deeper than kMaxDepth is an error rather than a deep recursion.
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"
#include "fhir/fhirpath/ast.h"

namespace hearth::fhir::fhirpath::detail {

inline constexpr int kMaxDepth = 200;

// Errors: kInvalidArgument "at N: ..." (see lexer.h for the lexical ones).
Result<std::unique_ptr<Node>> parse(std::string_view text);

}  // namespace hearth::fhir::fhirpath::detail
