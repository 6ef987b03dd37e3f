// Chained and reverse-chained parameter names (search.html#chaining, search.html#has): reading
// `subject:Patient.organization.name` or `_has:Observation:patient:_has:AuditEvent:entity:user`
// into the links from the searched type to the parameter at its end. Private to
// fhir/search/search_query.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "fhir/search/search_query.h"

namespace hearth::fhir::search::detail {

struct ChainedName {
  std::vector<ChainLink> links;
  std::string type;       // the type the terminal parameter belongs to (the last link's)
  std::string_view last;  // the terminal "code[:modifier]", a view into the name
};

// Is `name` a chain (a '.' before any ':' modifier part ends) or a reverse chain ("_has:")?
bool is_chained(std::string_view name);

// Reads the links of a chained `name` searched on `resource_type`. A forward link's target
// type is its `:Type` modifier, or else the one target type of the reference parameter that
// has the next parameter. Errors (kInvalidArgument naming the part): a malformed _has
// ("_has:Type:param:rest"); an unknown type; an unknown or non-reference parameter before a
// '.' or in a _has; a type that the parameter does not reference; no target type or several
// with the next parameter (the message lists the choices); more than kMaxChainLinks links.
Result<ChainedName> parse_chain(std::string_view resource_type, std::string_view name);

}  // namespace hearth::fhir::search::detail
