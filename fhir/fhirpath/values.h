// Arithmetic and comparison of the FHIRPath value types as the evaluator needs them: exact
// decimals (128-bit mantissa and a decimal scale), partial-precision dates/times, and quantities
// with the UCUM conversions of comparable units. Items keep these values as text (item.h); the
// functions here parse, compute and print them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fhir/fhirpath/item.h"

namespace hearth::fhir::fhirpath::detail {

// --- Decimal: value = mantissa / 10^scale ---------------------------------------------------
struct Dec {
  __int128 mantissa = 0;
  int scale = 0;
};
std::optional<Dec> parse_dec(std::string_view text);  // "-1.50", "2", "1e3"
std::string format_dec(const Dec& d);                 // keeps the scale: "1.50"
Dec dec_from_int(std::int64_t v);
int dec_cmp(const Dec& a, const Dec& b);
Dec dec_add(const Dec& a, const Dec& b);
Dec dec_sub(const Dec& a, const Dec& b);
Dec dec_mul(const Dec& a, const Dec& b);
std::optional<Dec> dec_div(const Dec& a, const Dec& b);  // nullopt for division by zero
double dec_to_double(const Dec& d);
std::optional<Dec> dec_from_double(double v);  // nullopt for NaN/inf
Dec dec_round(const Dec& d, int digits);       // half away from zero
Dec dec_trunc(const Dec& d);                   // toward zero, scale 0
Dec dec_floor(const Dec& d);
Dec dec_normalised(const Dec& d);  // trailing zeros removed
// Number of significant decimal places of the text form ("1.50" -> 2).
int dec_precision(const Dec& d);

// The numeric value of an Integer or Decimal item.
std::optional<Dec> item_dec(const Item& item);
Item make_decimal(const Dec& d);

// --- Date, DateTime, Time ---------------------------------------------------------------------
enum class TPrec : std::uint8_t { kYear = 1, kMonth, kDay, kHour, kMinute, kSecond, kMillis };
struct Temporal {
  ItemKind kind = ItemKind::kDateTime;  // kDate, kDateTime or kTime
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
  TPrec precision = TPrec::kYear;
  bool has_tz = false;
  int tz_minutes = 0;
};
// Parses the text of a kDate/kDateTime/kTime item (no '@'; a time without 'T').
std::optional<Temporal> parse_temporal(ItemKind kind, std::string_view text);
std::string format_temporal(const Temporal& t);
// <0, 0, >0, or nullopt when the precisions differ and the common part is equal.
std::optional<int> temporal_cmp(const Temporal& a, const Temporal& b);
// a + amount unit (unit: calendar word or UCUM time code); nullopt for a unit that cannot apply.
std::optional<Temporal> temporal_add(const Temporal& a, const Dec& amount, std::string_view unit);
Item make_temporal(const Temporal& t);
// From microseconds since the epoch, shifted by `tz_minutes` and printed with that offset.
Temporal temporal_from_micros(std::int64_t micros, int tz_minutes, ItemKind kind);

// --- Quantity -----------------------------------------------------------------------------------
// Compares two quantities: nullopt when the units are not comparable.
std::optional<int> quantity_cmp(const Item& a, const Item& b);
// Converts `q` to `unit`; nullopt when not convertible.
std::optional<Dec> quantity_convert(const Dec& value, std::string_view from, std::string_view to);
// The canonical form of a unit for equality ("week" -> "wk", "'mg'" -> "mg").
std::string canonical_unit(std::string_view unit);
bool is_calendar_word(std::string_view unit);
Item make_quantity(const Dec& value, std::string unit);

}  // namespace hearth::fhir::fhirpath::detail
