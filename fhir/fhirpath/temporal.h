// FHIRPath Date, DateTime and Time (http://hl7.org/fhirpath/N1/#datetime): partial values that
// remember their precision (year .. millisecond) and, for DateTime, an optional timezone
// offset. Parsers accept both FHIR JSON text ("2015-02-04T14:34:28.123+09:00", "2015-02",
// "14:34:28") and FHIRPath literal bodies, i.e. the text after '@' ("2015T", "2015-02-04T14",
// "T14:34"). Comparison follows the spec's partial-precision rule: compare down to the common
// precision; if equal so far but the precisions differ the result is empty (std::nullopt).
// Seconds and milliseconds count as one precision for comparison. Arithmetic adds calendar
// durations with end-of-month clamping. Small value types; pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fhir/fhirpath/quantity.h"

namespace hearth::fhir::fhirpath {

enum class TemporalPrecision : std::uint8_t {
  kYear,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
};

class Date;
class Time;

// Year .. millisecond with an optional offset. Fields below the precision are 0 (month/day 1).
class DateTime {
 public:
  DateTime() = default;  // 0001 at year precision, no offset

  // FHIR dateTime/instant/date text or a FHIRPath DateTime literal body. The 'T' may end a
  // date ("2015T"); an offset (Z, +hh:mm, -hh:mm) may only follow a time. More than three
  // fraction digits are accepted and truncated to milliseconds. Empty on malformed text or an
  // impossible calendar value (2021-02-30, 24:00, offset beyond +/-14:00); the leap second
  // :60 that FHIR's regex admits is rejected too (it has no place in calendar arithmetic).
  static std::optional<DateTime> parse(std::string_view text);
  static DateTime from_date(const Date& date);  // same fields and precision, no offset
  // The date part (at most day precision); the offset is dropped, fields are not shifted.
  Date to_date() const;

  // now_micros: microseconds since the Unix epoch (UTC), within the years 1..9999;
  // offset_minutes: the local offset the result is expressed in (and carries). Millisecond
  // precision; the offset prints as 'Z' when it is 0.
  static DateTime now(std::int64_t now_micros, int offset_minutes);

  // FHIRPath/FHIR form: "2015", "2015-02-04T14:34", "2015-02-04T14:34:28.123+09:00", "...Z".
  // A value of year..day precision prints without 'T' (FHIR form; prefix "@" and append "T"
  // for a FHIRPath literal).
  std::string to_string() const;

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  int hour() const { return hour_; }
  int minute() const { return minute_; }
  int second() const { return second_; }
  int millisecond() const { return millisecond_; }
  TemporalPrecision precision() const { return precision_; }
  bool has_offset() const { return has_offset_; }
  int offset_minutes() const { return offset_minutes_; }  // 0 when !has_offset()
  // FHIRPath precision(): digits in the value, 4 (year) .. 17 (millisecond).
  int precision_digits() const;

  // <0, 0, >0, or empty when undetermined (equal down to the common precision but the
  // precisions differ). Both with offsets: compared in UTC. Neither: local fields as they are.
  // Exactly one: N1 6.1.1 leaves a default offset to policy ("In the simplest case, no default
  // timezone offset is provided"). Pass the evaluation environment's as
  // `default_offset_minutes` to use one; without it the offset is unknown (-14:00..+14:00)
  // and the result is empty unless the order holds for every such offset (15:00Z = 10:00 is
  // empty, official R4 suite testEquality23; 2012-04-15T15:00Z < 2013-01-01T00:00 holds).
  std::optional<int> compare(const DateTime& other,
                             std::optional<int> default_offset_minutes = std::nullopt) const;
  // FHIRPath '=': empty when undetermined.
  std::optional<bool> equals(const DateTime& other,
                             std::optional<int> default_offset_minutes = std::nullopt) const;
  // FHIRPath '~': different precision is simply not equivalent (false), never empty.
  bool equivalent(const DateTime& other,
                  std::optional<int> default_offset_minutes = std::nullopt) const;

  // Calendar arithmetic (N1 "Date/Time Arithmetic"). The unit must be a calendar keyword
  // (quoted or not: 1 'month' works) or one of the UCUM units 'wk' 'd' 'h' 'min' 's' 'ms';
  // 'a' and 'mo' are not calendar durations and give empty (official R4 suite,
  // testPlusDate14/16). The quantity's decimal part is ignored (@x + 0.1 's' = @x, as the
  // suite's testPlusDate19 expects). A quantity finer than the value's precision is converted
  // to that precision and truncated (@2014 + 24 months = @2016; @2019-03-01 + 24 hours =
  // @2019-03-02). Day overflow clamps to month end (@2012-01-31 + 1 month = @2012-02-29).
  // Empty for a non-time unit or a result outside the years 1..9999.
  std::optional<DateTime> add(const Quantity& q) const;
  std::optional<DateTime> subtract(const Quantity& q) const;

 private:
  friend class Date;
  friend class Time;
  // Raw moves that ignore the precision; empty outside the years 1..9999.
  std::optional<DateTime> plus_months(std::int64_t months) const;  // clamps the day
  std::optional<DateTime> plus_ms(std::int64_t ms) const;

  std::int16_t year_ = 1;
  std::uint8_t month_ = 1;
  std::uint8_t day_ = 1;
  std::uint8_t hour_ = 0;
  std::uint8_t minute_ = 0;
  std::uint8_t second_ = 0;
  std::uint16_t millisecond_ = 0;
  TemporalPrecision precision_ = TemporalPrecision::kYear;
  bool has_offset_ = false;
  bool zulu_ = false;  // offset written as 'Z'; kept for to_string
  std::int16_t offset_minutes_ = 0;
};

// Year, month or day precision; no time, no offset. Compare a Date with a DateTime through
// to_datetime() (FHIRPath converts Date to DateTime implicitly): @2012-04-15 = @2012-04-15T10:00
// is then empty, as the official R4 suite's testEquality19 expects.
class Date {
 public:
  Date() = default;  // 0001

  // "2015", "2015-02", "2015-02-04". Empty on anything else (a 'T' makes it a DateTime).
  static std::optional<Date> parse(std::string_view text);
  // The local date of `now_micros` at `offset_minutes` (FHIRPath today()).
  static Date today(std::int64_t now_micros, int offset_minutes);

  std::string to_string() const;
  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  TemporalPrecision precision() const { return precision_; }
  int precision_digits() const;  // 4, 6 or 8
  DateTime to_datetime() const { return DateTime::from_date(*this); }

  std::optional<int> compare(const Date& other) const;
  std::optional<bool> equals(const Date& other) const;
  bool equivalent(const Date& other) const;

  // As DateTime::add; units finer than the precision are converted and truncated, so
  // @2019-03-01 + 24 hours = @2019-03-02 and @2019-03-01 + 1 hour = @2019-03-01.
  std::optional<Date> add(const Quantity& q) const;
  std::optional<Date> subtract(const Quantity& q) const;

 private:
  friend class DateTime;
  std::int16_t year_ = 1;
  std::uint8_t month_ = 1;
  std::uint8_t day_ = 1;
  TemporalPrecision precision_ = TemporalPrecision::kYear;
};

// Hour .. millisecond precision, no offset (FHIRPath Time has none).
class Time {
 public:
  Time() = default;  // 00 at hour precision

  // "14:34:28", "14:34:28.123" (FHIR) or "T14", "T14:34", "14:34" (FHIRPath body, 'T'
  // optional). Empty on malformed text or 24:00.
  static std::optional<Time> parse(std::string_view text);
  // Local time of day of `now_micros` at `offset_minutes` (FHIRPath timeOfDay()), ms precision.
  static Time time_of_day(std::int64_t now_micros, int offset_minutes);

  std::string to_string() const;  // "14:34", "14:34:28.123" (no 'T')
  int hour() const { return hour_; }
  int minute() const { return minute_; }
  int second() const { return second_; }
  int millisecond() const { return millisecond_; }
  TemporalPrecision precision() const { return precision_; }
  int precision_digits() const;  // 2, 4, 6 or 9

  std::optional<int> compare(const Time& other) const;
  std::optional<bool> equals(const Time& other) const;
  bool equivalent(const Time& other) const;

  // Wraps around midnight. Units must be hour..millisecond (or 'h' 'min' 's' 'ms'); a year,
  // month, week or day quantity is empty.
  std::optional<Time> add(const Quantity& q) const;
  std::optional<Time> subtract(const Quantity& q) const;

 private:
  DateTime on_fixed_day() const;

  std::uint8_t hour_ = 0;
  std::uint8_t minute_ = 0;
  std::uint8_t second_ = 0;
  std::uint16_t millisecond_ = 0;
  TemporalPrecision precision_ = TemporalPrecision::kHour;
};

// Free-function spellings the evaluator may prefer.
inline std::optional<Date> parse_date(std::string_view text) {
  return Date::parse(text);
}
inline std::optional<DateTime> parse_datetime(std::string_view text) {
  return DateTime::parse(text);
}
inline std::optional<Time> parse_time(std::string_view text) {
  return Time::parse(text);
}
inline Date today(std::int64_t now_micros, int offset_minutes) {
  return Date::today(now_micros, offset_minutes);
}
inline DateTime now(std::int64_t now_micros, int offset_minutes) {
  return DateTime::now(now_micros, offset_minutes);
}
inline Time time_of_day(std::int64_t now_micros, int offset_minutes) {
  return Time::time_of_day(now_micros, offset_minutes);
}

}  // namespace hearth::fhir::fhirpath
