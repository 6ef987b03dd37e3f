// Instant formatting and parsing without locale or time-zone database: civil-from-days and
// days-from-civil arithmetic (proleptic Gregorian, UTC).
#include "core/time_format.h"

#include <array>
#include <cstdio>

namespace hearth {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

struct Civil {
  int year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's algorithms, public domain.
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

unsigned days_in_month(int year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Writes `value` (>= 0) as `width` decimal digits at out[at], zero-padded.
void put_digits(std::string& out, std::size_t at, std::size_t width, std::int64_t value) {
  for (std::size_t i = width; i-- > 0;) {
    out[at + i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string format_instant(std::int64_t micros) {
  std::int64_t secs = floor_div(micros, kMicrosPerSecond);
  std::int64_t frac = micros - secs * kMicrosPerSecond;
  std::int64_t days = floor_div(secs, kSecondsPerDay);
  std::int64_t sod = secs - days * kSecondsPerDay;
  Civil c = civil_from_days(days);
  if (c.year < 0 || c.year > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", c.year, c.month, c.day,
                  static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                  static_cast<int>(sod % 60), static_cast<int>(frac));
    return buf;
  }
  // Every write stamps one or two instants: digits by hand, as snprintf costs ~3.5k
  // instructions a call (callgrind, the audit writer).
  std::string out = "0000-00-00T00:00:00.000000Z";
  put_digits(out, 0, 4, c.year);
  put_digits(out, 5, 2, c.month);
  put_digits(out, 8, 2, c.day);
  put_digits(out, 11, 2, sod / 3600);
  put_digits(out, 14, 2, sod / 60 % 60);
  put_digits(out, 17, 2, sod % 60);
  put_digits(out, 20, 6, frac);
  return out;
}

std::string format_http_date(std::int64_t micros) {
  static constexpr std::array<const char*, 7> kWeekdays = {"Thu", "Fri", "Sat", "Sun",
                                                           "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t secs = floor_div(micros, kMicrosPerSecond);
  std::int64_t days = floor_div(secs, kSecondsPerDay);
  std::int64_t sod = secs - days * kSecondsPerDay;
  Civil c = civil_from_days(days);
  const char* weekday = kWeekdays[static_cast<std::size_t>(((days % 7) + 7) % 7)];
  if (c.year < 0 || c.year > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", weekday, c.day,
                  kMonths[c.month - 1], c.year, static_cast<int>(sod / 3600),
                  static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
    return buf;
  }
  // Every response carries one (the Date header): digits by hand, as in format_instant.
  std::string out = "Thu, 00 Jan 0000 00:00:00 GMT";
  out.replace(0, 3, weekday);
  put_digits(out, 5, 2, c.day);
  out.replace(8, 3, kMonths[c.month - 1]);
  put_digits(out, 12, 4, c.year);
  put_digits(out, 17, 2, sod / 3600);
  put_digits(out, 20, 2, sod / 60 % 60);
  put_digits(out, 23, 2, sod % 60);
  return out;
}

std::optional<std::int64_t> parse_instant_lower_bound(std::string_view s) {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year)) return std::nullopt;
  std::size_t pos = 4;
  if (pos < s.size() && s[pos] == '-') {
    if (!digits(s, pos + 1, 2, month) || month < 1 || month > 12) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '-') {
      if (!digits(s, pos + 1, 2, day) || day < 1 ||
          static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) {
        return std::nullopt;
      }
      pos += 3;
    }
  }
  std::int64_t frac_micros = 0;
  std::int64_t offset_seconds = 0;
  if (pos < s.size() && s[pos] == 'T') {
    if (!digits(s, pos + 1, 2, hour) || s.size() < pos + 6 || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, minute) || hour > 23 || minute > 59) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, second) || second > 60) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        std::int64_t scale = 100000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          frac_micros += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
        if (pos == start) return std::nullopt;
      }
    }
    if (pos < s.size()) {
      if (s[pos] == 'Z') {
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        int oh = 0, om = 0;
        if (!digits(s, pos + 1, 2, oh) || s.size() < pos + 6 || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, om) || oh > 14 || om > 59) {
          return std::nullopt;
        }
        offset_seconds = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        pos += 6;
      } else {
        return std::nullopt;
      }
    }
  }
  if (pos != s.size()) return std::nullopt;
  std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  std::int64_t secs = days * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset_seconds;
  return secs * kMicrosPerSecond + frac_micros;
}

}  // namespace hearth

namespace hearth {

std::optional<std::int64_t> parse_http_date(std::string_view s) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed width, 29 characters.
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  const std::size_t month_at = kMonths.find(s.substr(8, 3));
  if (month_at == std::string_view::npos || month_at % 3 != 0) return std::nullopt;
  const unsigned month = static_cast<unsigned>(month_at / 3 + 1);
  if (!digits(s, 5, 2, day) || !digits(s, 12, 4, year) || !digits(s, 17, 2, hour) ||
      !digits(s, 20, 2, minute) || !digits(s, 23, 2, second) || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(year, month, static_cast<unsigned>(day));
  return ((days * kSecondsPerDay) + hour * 3600 + minute * 60 + second) * kMicrosPerSecond;
}

}  // namespace hearth
