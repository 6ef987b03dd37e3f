// FHIRPath Quantity (http://hl7.org/fhirpath/N1/#quantity): a Decimal value with a unit that
// is either a UCUM code ('mg', 'km', '[in_i]', 'a') or one of the calendar duration keywords
// (year(s), month(s), week(s), day(s), hour(s), minute(s), second(s), millisecond(s)).
// Comparison converts through a small built-in UCUM table of commonly comparable units (mass,
// length, volume, time, amount, pressure; see quantity.cpp) combined by the UCUM term syntax
// ('mg/dL', 'm2', '/min', 'g/(L.h)', annotations like '{beats}'); units outside it compare
// only when spelled identically. No temperature (Cel, [degF]): they need offsets, not factors.
// Results are std::optional: empty means "not comparable" or overflow, which FHIRPath turns into
// the empty collection. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fhir/fhirpath/decimal.h"

namespace hearth::fhir::fhirpath {

struct Quantity {
  Decimal value;
  std::string unit = "1";  // UCUM code or calendar keyword; "1" is the unity (no unit)
};

// A FHIRPath quantity literal: number, optional whitespace, then a quoted UCUM unit ('mg') or
// a calendar keyword (days, 1 year). A bare number gives unit "1". Empty on malformed text or
// an unknown keyword.
std::optional<Quantity> parse_quantity_literal(std::string_view text);

// FHIRPath literal form: "4 'mg'", "3 days", "1.5 '1'" -> "1.5 '1'".
std::string to_string(const Quantity& q);

// The calendar keywords, singular or plural ("year", "years", ... "milliseconds").
bool is_calendar_unit(std::string_view unit);
// Singular keyword for a calendar unit or for its UCUM counterpart ('a' -> "year",
// 'mo' -> "month", 'wk' -> "week", 'd' -> "day", 'h', 'min', 's', 'ms'); empty otherwise.
std::optional<std::string_view> calendar_unit_of(std::string_view unit);

// Whether two units measure the same dimension in the table (so convert can succeed).
bool units_comparable(std::string_view a, std::string_view b);
// `q` expressed in `unit`; empty when not comparable or on overflow. Calendar keywords convert
// as their definite UCUM durations here (year = 'a' = 365.25 d, month = 'mo' = 30.4375 d).
std::optional<Quantity> convert(const Quantity& q, std::string_view unit);

// FHIRPath '=' on quantities (N1 section "Equality", Quantity): equal after conversion; empty
// when the units are not comparable. The calendar year and month are comparable only with
// themselves (1 year = 1 'a' and 1 year = 12 months are empty), the shorter keywords with the
// UCUM time units (7 days = 1 'wk' is true); see quantity.cpp for the citations.
std::optional<bool> equals(const Quantity& a, const Quantity& b);
// FHIRPath '~': like equals but false instead of empty, calendar keywords equivalent to their
// UCUM counterparts (1 year ~ 1 'a', so 1 year ~ 12 months), values compared as
// Decimal::equivalent (4 'g' ~ 4040 'mg' is true).
bool equivalent(const Quantity& a, const Quantity& b);
// <0, 0, >0 after conversion to a common unit; empty when not comparable.
std::optional<int> compare(const Quantity& a, const Quantity& b);

// Sum/difference in a's unit (b converted); empty when not comparable (as for equals) or on
// overflow.
std::optional<Quantity> add(const Quantity& a, const Quantity& b);
std::optional<Quantity> subtract(const Quantity& a, const Quantity& b);
// Product/quotient with simple unit algebra: "1" is the identity, equal units cancel on
// divide ('g'/'g' -> '1'), otherwise the unit is the UCUM term a.b or a/b ('g'/'L' -> "g/L").
// Empty on overflow or division by zero.
std::optional<Quantity> multiply(const Quantity& a, const Quantity& b);
std::optional<Quantity> divide(const Quantity& a, const Quantity& b);

}  // namespace hearth::fhir::fhirpath
