// The FHIRPath operators (http://hl7.org/fhirpath/N1/#operations): equality and equivalence,
// comparison, arithmetic over Integer/Decimal/Quantity/Date/Time/String, union, membership and
// three-valued boolean logic, with empty propagation.
#pragma once

#include <optional>

#include "core/status.h"
#include "fhir/fhirpath/evaluator.h"

namespace hearth::fhir::fhirpath::detail {

Status eval_binary(Evaluator& ev, const Node& node, const Scope& scope, Collection& out);

// `-x` for an Integer, Decimal or Quantity; nullopt for other types.
std::optional<Item> negate(const Item& value);

// Item equality (=) of two System/FHIR items: true, false, or nullopt when not comparable
// (different precisions of dates, incompatible quantities).
std::optional<bool> items_equal(const Item& a, const Item& b);
// Equivalence (~), always true or false.
bool items_equivalent(const Item& a, const Item& b);
// Ordering: <0, 0, >0, or nullopt when not comparable; error when the types cannot be compared.
Result<std::optional<int>> items_compare(const Item& a, const Item& b);

// Collection equality/equivalence, as `=`/`~` define them.
std::optional<bool> collections_equal(const Collection& a, const Collection& b);
bool collections_equivalent(const Collection& a, const Collection& b);

// Appends `item` to `out` unless an equal item is already there (union, distinct).
void add_distinct(Collection& out, const Item& item);

}  // namespace hearth::fhir::fhirpath::detail
