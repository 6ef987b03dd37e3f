// The bridge between items (item.h, values kept as text) and the value types of decimal.h,
// temporal.h and quantity.h, plus what those do not provide: lowBoundary/highBoundary.
#pragma once

#include <cstdint>
#include <optional>

#include "fhir/fhirpath/decimal.h"
#include "fhir/fhirpath/item.h"
#include "fhir/fhirpath/quantity.h"
#include "fhir/fhirpath/temporal.h"

namespace hearth::fhir::fhirpath::detail {

// The number of an Integer or Decimal item.
std::optional<Decimal> item_decimal(const Item& item);
Item make_decimal(const Decimal& d);

// The value of a Quantity item.
std::optional<Quantity> item_quantity(const Item& item);
Item make_quantity(const Quantity& q);
// Literal/toString form: "4 'mg'", calendar keywords unquoted ("1 week").
std::string quantity_text(const Item& item);

// Date/DateTime/Time items. Comparing a Date with a DateTime compares the date as a DateTime;
// a Time only compares with a Time. nullopt: not comparable or unknown at these precisions.
bool is_temporal_kind(ItemKind kind);
std::optional<int> temporal_compare(const Item& a, const Item& b);
std::optional<bool> temporal_equals(const Item& a, const Item& b);
bool temporal_equivalent(const Item& a, const Item& b);
// t + q (or t - q); nullopt when the unit cannot apply to the value or on overflow.
std::optional<Item> temporal_add(const Item& t, const Quantity& q, bool subtract);
// Does `text` parse as `kind`? Then the item (normalised text), else nullopt.
std::optional<Item> make_temporal_item(ItemKind kind, std::string_view text);
// Digits of precision (precision()): 4..17 for dates, 2..9 for times; nullopt when invalid.
std::optional<int> temporal_precision(const Item& item);
Item clock_item(ItemKind kind, std::int64_t now_micros, int offset_minutes);

// lowBoundary()/highBoundary() (FHIRPath 2.0 / R5, used by the R4 suite): the ends of the range
// a value of limited precision stands for, at `digits` of precision (default: 8 decimals, or
// the type's finest precision).
std::optional<Item> boundary(const Item& value, std::optional<std::int64_t> digits, bool high);

}  // namespace hearth::fhir::fhirpath::detail
