#include "fhir/search/date_range.h"

#include "fhir/fhirpath/temporal.h"

namespace hearth::fhir::search {
namespace {

using fhirpath::DateTime;
using fhirpath::TemporalPrecision;

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t start_micros(int year, int month, int day) {
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
         kMicrosPerDay;
}

}  // namespace

std::optional<DateRange> date_range(std::string_view text) {
  std::optional<DateTime> value = DateTime::parse(text);
  if (!value) return std::nullopt;
  const DateTime& v = *value;
  const std::int64_t day_start = start_micros(v.year(), v.month(), v.day());
  std::int64_t low = day_start;
  std::int64_t next = 0;  // the first instant after the range
  switch (v.precision()) {
    case TemporalPrecision::kYear:
      low = start_micros(v.year(), 1, 1);
      next = start_micros(v.year() + 1, 1, 1);
      break;
    case TemporalPrecision::kMonth:
      low = start_micros(v.year(), v.month(), 1);
      next = v.month() == 12 ? start_micros(v.year() + 1, 1, 1)
                             : start_micros(v.year(), v.month() + 1, 1);
      break;
    case TemporalPrecision::kDay: next = low + kMicrosPerDay; break;
    case TemporalPrecision::kHour:
      low += v.hour() * 3600 * kMicrosPerSecond;
      next = low + 3600 * kMicrosPerSecond;
      break;
    case TemporalPrecision::kMinute:
      low += (v.hour() * 3600 + v.minute() * 60) * kMicrosPerSecond;
      next = low + 60 * kMicrosPerSecond;
      break;
    case TemporalPrecision::kSecond:
      low += (v.hour() * 3600 + v.minute() * 60 + v.second()) * kMicrosPerSecond;
      next = low + kMicrosPerSecond;
      break;
    case TemporalPrecision::kMillisecond:
      low += (v.hour() * 3600 + v.minute() * 60 + v.second()) * kMicrosPerSecond +
             v.millisecond() * 1000;
      next = low + 1000;
      break;
  }
  // A local time with an offset: UTC = local - offset. Dates carry no offset.
  const std::int64_t shift = static_cast<std::int64_t>(v.offset_minutes()) * 60 * kMicrosPerSecond;
  return DateRange{.low = low - shift, .high = next - 1 - shift};
}

}  // namespace hearth::fhir::search
