// _include and _revinclude values (search.html#include): "Source:param[:Target]", "Source:*"
// or "*", with the :iterate modifier, read into an IncludeDirective checked against the
// generated search parameter tables. Private to fhir/search/search_query.cpp.
#pragma once

#include <string_view>

#include "core/status.h"
#include "fhir/search/search_query.h"

namespace hearth::fhir::search::detail {

// Is `code` (a name without its modifier) _include or _revinclude?
bool is_include(std::string_view code);

// Reads one value of `name` (`_include`, `_revinclude`, either with `:iterate`) in a search of
// `resource_type`. Errors (kInvalidArgument naming the value): another modifier; a malformed
// value; an unknown type; an unknown or non-reference parameter; a target type the parameter
// does not reference; a directive without :iterate that cannot apply to the searched type
// (_include from another source type, _revinclude of a parameter that does not reference it).
Result<IncludeDirective> parse_include(std::string_view resource_type, std::string_view name,
                                       std::string_view value);

}  // namespace hearth::fhir::search::detail
