// Parsing, printing, comparison and calendar arithmetic for Date, DateTime and Time. All three
// share DateTime's fields: a Date is a DateTime of at most day precision, a Time is a
// DateTime on a fixed day whose comparison starts at the hour.
#include "fhir/fhirpath/temporal.h"

#include <cstdio>

namespace hearth::fhir::fhirpath {
namespace {

using P = TemporalPrecision;

constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerDay = 86'400'000;

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (era-based, exact for all years).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (m + 9) % 12;  // March = 0
  std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Seconds and milliseconds are one precision for comparison (N1 "Comparison").
P collapse(P p) {
  return p == P::kMillisecond ? P::kSecond : p;
}

// A cursor over literal text; each reader consumes only on success.
struct Reader {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i == s.size(); }
  bool peek(char c) const { return i < s.size() && s[i] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++i;
    return true;
  }
  // Exactly n digits into out.
  bool digits(int n, int& out) {
    if (i + static_cast<size_t>(n) > s.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s[i + static_cast<size_t>(k)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i += static_cast<size_t>(n);
    out = v;
    return true;
  }
};

struct TimeFields {
  int hour = 0, minute = 0, second = 0, ms = 0;
  P precision = P::kHour;
};

// hh[:mm[:ss[.f+]]]
bool read_time(Reader& r, TimeFields& t) {
  if (!r.digits(2, t.hour) || t.hour > 23) return false;
  t.precision = P::kHour;
  if (!r.eat(':')) return true;
  if (!r.digits(2, t.minute) || t.minute > 59) return false;
  t.precision = P::kMinute;
  if (!r.eat(':')) return true;
  if (!r.digits(2, t.second) || t.second > 59) return false;
  t.precision = P::kSecond;
  if (!r.eat('.')) return true;
  int n = 0;
  int ms = 0;
  while (!r.done() && r.s[r.i] >= '0' && r.s[r.i] <= '9') {
    if (n < 3) ms = ms * 10 + (r.s[r.i] - '0');
    ++n;
    ++r.i;
  }
  if (n == 0) return false;
  for (int k = n; k < 3; ++k) ms *= 10;  // ".5" is 500 ms
  t.ms = ms;
  t.precision = P::kMillisecond;
  return true;
}

void append_2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void append_time(std::string& out, int h, int mi, int s, int ms, P p) {
  append_2(out, h);
  if (p >= P::kMinute) {
    out.push_back(':');
    append_2(out, mi);
  }
  if (p >= P::kSecond) {
    out.push_back(':');
    append_2(out, s);
  }
  if (p >= P::kMillisecond) {
    out.push_back('.');
    out.push_back(static_cast<char>('0' + ms / 100));
    append_2(out, ms % 100);
  }
}

int precision_digits_of(P p) {
  static constexpr int kDigits[] = {4, 6, 8, 10, 12, 14, 17};
  return kDigits[static_cast<int>(p)];
}

// Milliseconds within the day.
std::int64_t ms_of_day(int h, int mi, int s, int ms) {
  return ((static_cast<std::int64_t>(h) * 60 + mi) * 60 + s) * 1000 + ms;
}

}  // namespace

// ---- DateTime --------------------------------------------------------------------------

std::optional<DateTime> DateTime::parse(std::string_view text) {
  Reader r{text};
  DateTime v;
  int year = 0, month = 1, day = 1;
  if (!r.digits(4, year) || year < 1) return std::nullopt;
  v.precision_ = P::kYear;
  if (r.eat('-')) {
    if (!r.digits(2, month) || month < 1 || month > 12) return std::nullopt;
    v.precision_ = P::kMonth;
    if (r.eat('-')) {
      if (!r.digits(2, day) || day < 1 || day > days_in_month(year, month)) return std::nullopt;
      v.precision_ = P::kDay;
    }
  }
  v.year_ = static_cast<std::int16_t>(year);
  v.month_ = static_cast<std::uint8_t>(month);
  v.day_ = static_cast<std::uint8_t>(day);
  if (r.eat('T') && !r.done()) {
    if (v.precision_ != P::kDay) return std::nullopt;  // a time needs a full date
    TimeFields t;
    if (!read_time(r, t)) return std::nullopt;
    v.hour_ = static_cast<std::uint8_t>(t.hour);
    v.minute_ = static_cast<std::uint8_t>(t.minute);
    v.second_ = static_cast<std::uint8_t>(t.second);
    v.millisecond_ = static_cast<std::uint16_t>(t.ms);
    v.precision_ = t.precision;
    if (r.eat('Z')) {
      v.has_offset_ = true;
      v.zulu_ = true;
    } else if (r.peek('+') || r.peek('-')) {
      bool negative = r.s[r.i++] == '-';
      int oh = 0, om = 0;
      if (!r.digits(2, oh) || !r.eat(':') || !r.digits(2, om) || om > 59) return std::nullopt;
      int total = oh * 60 + om;
      if (total > 14 * 60) return std::nullopt;
      v.has_offset_ = true;
      v.offset_minutes_ = static_cast<std::int16_t>(negative ? -total : total);
    }
  }
  if (!r.done()) return std::nullopt;
  return v;
}

DateTime DateTime::from_date(const Date& date) {
  DateTime v;
  v.year_ = date.year_;
  v.month_ = date.month_;
  v.day_ = date.day_;
  v.precision_ = date.precision_;
  return v;
}

Date DateTime::to_date() const {
  Date d;
  d.year_ = year_;
  d.month_ = month_;
  d.day_ = day_;
  d.precision_ = precision_ < P::kDay ? precision_ : P::kDay;
  return d;
}

DateTime DateTime::now(std::int64_t now_micros, int offset_minutes) {
  std::int64_t local_ms = floor_div(now_micros, 1000) + offset_minutes * kMsPerMinute;
  std::int64_t days = floor_div(local_ms, kMsPerDay);
  std::int64_t in_day = local_ms - days * kMsPerDay;
  std::int64_t y = 0;
  int m = 0, d = 0;
  civil_from_days(days, y, m, d);
  DateTime v;
  v.year_ = static_cast<std::int16_t>(y);
  v.month_ = static_cast<std::uint8_t>(m);
  v.day_ = static_cast<std::uint8_t>(d);
  v.hour_ = static_cast<std::uint8_t>(in_day / 3'600'000);
  v.minute_ = static_cast<std::uint8_t>(in_day / 60'000 % 60);
  v.second_ = static_cast<std::uint8_t>(in_day / 1000 % 60);
  v.millisecond_ = static_cast<std::uint16_t>(in_day % 1000);
  v.precision_ = P::kMillisecond;
  v.has_offset_ = true;
  v.zulu_ = offset_minutes == 0;
  v.offset_minutes_ = static_cast<std::int16_t>(offset_minutes);
  return v;
}

std::string DateTime::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(year_));
  std::string out(buf);
  if (precision_ >= P::kMonth) {
    out.push_back('-');
    append_2(out, month_);
  }
  if (precision_ >= P::kDay) {
    out.push_back('-');
    append_2(out, day_);
  }
  if (precision_ >= P::kHour) {
    out.push_back('T');
    append_time(out, hour_, minute_, second_, millisecond_, precision_);
    if (has_offset_) {
      if (zulu_) {
        out.push_back('Z');
      } else {
        int off = offset_minutes_ < 0 ? -offset_minutes_ : offset_minutes_;
        out.push_back(offset_minutes_ < 0 ? '-' : '+');
        append_2(out, off / 60);
        out.push_back(':');
        append_2(out, off % 60);
      }
    }
  }
  return out;
}

int DateTime::precision_digits() const {
  return precision_digits_of(precision_);
}

namespace {

// Field-by-field comparison from `first` down to the common precision (N1 "Comparison").
std::optional<int> compare_fields(const DateTime& a, const DateTime& b, P first) {
  P pa = collapse(a.precision());
  P pb = collapse(b.precision());
  P common = pa < pb ? pa : pb;
  for (int level = static_cast<int>(first); level <= static_cast<int>(common); ++level) {
    std::int64_t va = 0, vb = 0;
    switch (static_cast<P>(level)) {
      case P::kYear:
        va = a.year();
        vb = b.year();
        break;
      case P::kMonth:
        va = a.month();
        vb = b.month();
        break;
      case P::kDay:
        va = a.day();
        vb = b.day();
        break;
      case P::kHour:
        va = a.hour();
        vb = b.hour();
        break;
      case P::kMinute:
        va = a.minute();
        vb = b.minute();
        break;
      default:  // seconds with milliseconds as one decimal value
        va = a.second() * 1000 + a.millisecond();
        vb = b.second() * 1000 + b.millisecond();
        break;
    }
    if (va != vb) return va < vb ? -1 : 1;
  }
  if (pa != pb) return std::nullopt;
  return 0;
}

}  // namespace

std::optional<int> DateTime::compare(const DateTime& other,
                                     std::optional<int> default_offset_minutes) const {
  if (has_offset_ != other.has_offset_ && !default_offset_minutes) {
    // The missing offset could be anything from -14:00 to +14:00: the order is known only if
    // both extremes agree (so 15:00Z = 10:00 is empty, as the official R4 suite expects).
    constexpr int kExtreme = 14 * 60;
    auto low = compare(other, -kExtreme);
    auto high = compare(other, kExtreme);
    if (low && high && *low == *high) return low;
    return std::nullopt;
  }
  int oa = has_offset_ ? offset_minutes_ : default_offset_minutes.value_or(0);
  int ob = other.has_offset_ ? other.offset_minutes_ : default_offset_minutes.value_or(0);
  if (oa == ob || precision_ < P::kHour || other.precision_ < P::kHour) {
    return compare_fields(*this, other, P::kYear);
  }
  // Normalise both to UTC.
  auto a = plus_ms(-oa * kMsPerMinute);
  auto b = other.plus_ms(-ob * kMsPerMinute);
  if (!a || !b) return compare_fields(*this, other, P::kYear);  // at the calendar's edge
  return compare_fields(*a, *b, P::kYear);
}

std::optional<bool> DateTime::equals(const DateTime& other,
                                     std::optional<int> default_offset_minutes) const {
  auto c = compare(other, default_offset_minutes);
  if (!c) return std::nullopt;
  return *c == 0;
}

bool DateTime::equivalent(const DateTime& other, std::optional<int> default_offset_minutes) const {
  auto c = compare(other, default_offset_minutes);
  return c && *c == 0;
}

std::optional<DateTime> DateTime::plus_months(std::int64_t months) const {
  std::int64_t total = 0;
  if (__builtin_add_overflow(static_cast<std::int64_t>(year_) * 12 + (month_ - 1), months,
                             &total)) {
    return std::nullopt;
  }
  std::int64_t y = floor_div(total, 12);
  if (y < 1 || y > 9999) return std::nullopt;
  DateTime v = *this;
  v.year_ = static_cast<std::int16_t>(y);
  v.month_ = static_cast<std::uint8_t>(total - y * 12 + 1);
  int last = days_in_month(v.year_, v.month_);
  if (v.day_ > last) v.day_ = static_cast<std::uint8_t>(last);  // end-of-month clamping
  return v;
}

std::optional<DateTime> DateTime::plus_ms(std::int64_t ms) const {
  std::int64_t total = 0;
  std::int64_t start = days_from_civil(year_, month_, day_) * kMsPerDay +
                       ms_of_day(hour_, minute_, second_, millisecond_);
  if (__builtin_add_overflow(start, ms, &total)) return std::nullopt;
  std::int64_t day_number = floor_div(total, kMsPerDay);
  std::int64_t t = total - day_number * kMsPerDay;
  std::int64_t y = 0;
  int m = 0;
  int d = 0;
  civil_from_days(day_number, y, m, d);
  if (y < 1 || y > 9999) return std::nullopt;
  DateTime v = *this;
  v.year_ = static_cast<std::int16_t>(y);
  v.month_ = static_cast<std::uint8_t>(m);
  v.day_ = static_cast<std::uint8_t>(d);
  v.hour_ = static_cast<std::uint8_t>(t / 3'600'000);
  v.minute_ = static_cast<std::uint8_t>(t / 60'000 % 60);
  v.second_ = static_cast<std::uint8_t>(t / 1000 % 60);
  v.millisecond_ = static_cast<std::uint16_t>(t % 1000);
  return v;
}

std::optional<DateTime> DateTime::add(const Quantity& q) const {
  auto unit = calendar_unit_of(q.unit);
  if (!unit || q.unit == "a" || q.unit == "mo") return std::nullopt;
  auto whole = q.value.truncate().to_int64();  // the decimal part is ignored
  if (!whole) return std::nullopt;
  std::int64_t n = *whole;
  // Calendar keywords in the order of TemporalPrecision; a week is seven days.
  static constexpr std::string_view kLevels[] = {"year",   "month",  "day",        "hour",
                                                 "minute", "second", "millisecond"};
  P level = P::kDay;
  if (*unit == "week") {
    if (__builtin_mul_overflow(n, 7, &n)) return std::nullopt;
  } else {
    for (int i = 0; i < 7; ++i) {
      if (*unit == kLevels[i]) level = static_cast<P>(i);
    }
  }
  // A quantity finer than the value: convert it to the value's precision, truncating. Below a
  // day the factors are exact; months fold into years; days onto a year or month value move
  // the date from its first day and the result drops back to the value's precision.
  static constexpr std::int64_t kPerLevel[] = {0, 0, 1, 24, 60, 60, 1000};  // to the level up
  while (level > precision_ && level > P::kDay) {
    n /= kPerLevel[static_cast<int>(level)];
    level = static_cast<P>(static_cast<int>(level) - 1);
  }
  if (level == P::kMonth && precision_ == P::kYear) {
    n /= 12;
    level = P::kYear;
  }
  std::optional<DateTime> v;
  if (level <= P::kMonth) {
    std::int64_t months = 0;
    if (__builtin_mul_overflow(n, level == P::kYear ? 12 : 1, &months)) return std::nullopt;
    v = plus_months(months);
  } else {
    static constexpr std::int64_t kMsPer[] = {0, 0, kMsPerDay, 3'600'000, kMsPerMinute, 1000, 1};
    std::int64_t ms = 0;
    if (__builtin_mul_overflow(n, kMsPer[static_cast<int>(level)], &ms)) return std::nullopt;
    v = plus_ms(ms);
  }
  if (!v) return std::nullopt;
  if (precision_ < P::kDay) v->day_ = 1;
  if (precision_ < P::kMonth) v->month_ = 1;
  return v;
}

std::optional<DateTime> DateTime::subtract(const Quantity& q) const {
  return add(Quantity{q.value.negate(), q.unit});
}

// ---- Date ------------------------------------------------------------------------------

std::optional<Date> Date::parse(std::string_view text) {
  if (text.find('T') != std::string_view::npos) return std::nullopt;
  auto v = DateTime::parse(text);
  if (!v) return std::nullopt;
  Date d;
  d.year_ = v->year_;
  d.month_ = v->month_;
  d.day_ = v->day_;
  d.precision_ = v->precision_;
  return d;
}

Date Date::today(std::int64_t now_micros, int offset_minutes) {
  DateTime n = DateTime::now(now_micros, offset_minutes);
  Date d;
  d.year_ = n.year_;
  d.month_ = n.month_;
  d.day_ = n.day_;
  d.precision_ = P::kDay;
  return d;
}

std::string Date::to_string() const {
  return to_datetime().to_string();
}

int Date::precision_digits() const {
  return precision_digits_of(precision_);
}

std::optional<int> Date::compare(const Date& other) const {
  return compare_fields(to_datetime(), other.to_datetime(), P::kYear);
}

std::optional<bool> Date::equals(const Date& other) const {
  auto c = compare(other);
  if (!c) return std::nullopt;
  return *c == 0;
}

bool Date::equivalent(const Date& other) const {
  auto c = compare(other);
  return c && *c == 0;
}

std::optional<Date> Date::add(const Quantity& q) const {
  auto v = to_datetime().add(q);
  if (!v) return std::nullopt;
  Date d;
  d.year_ = v->year_;
  d.month_ = v->month_;
  d.day_ = v->day_;
  d.precision_ = precision_;
  return d;
}

std::optional<Date> Date::subtract(const Quantity& q) const {
  return add(Quantity{q.value.negate(), q.unit});
}

// ---- Time ------------------------------------------------------------------------------

std::optional<Time> Time::parse(std::string_view text) {
  Reader r{text};
  r.eat('T');
  TimeFields t;
  if (!read_time(r, t) || !r.done()) return std::nullopt;
  Time v;
  v.hour_ = static_cast<std::uint8_t>(t.hour);
  v.minute_ = static_cast<std::uint8_t>(t.minute);
  v.second_ = static_cast<std::uint8_t>(t.second);
  v.millisecond_ = static_cast<std::uint16_t>(t.ms);
  v.precision_ = t.precision;
  return v;
}

Time Time::time_of_day(std::int64_t now_micros, int offset_minutes) {
  DateTime n = DateTime::now(now_micros, offset_minutes);
  Time v;
  v.hour_ = static_cast<std::uint8_t>(n.hour());
  v.minute_ = static_cast<std::uint8_t>(n.minute());
  v.second_ = static_cast<std::uint8_t>(n.second());
  v.millisecond_ = static_cast<std::uint16_t>(n.millisecond());
  v.precision_ = P::kMillisecond;
  return v;
}

std::string Time::to_string() const {
  std::string out;
  out.reserve(12);
  append_time(out, hour_, minute_, second_, millisecond_, precision_);
  return out;
}

int Time::precision_digits() const {
  static constexpr int kDigits[] = {2, 4, 6, 9};
  return kDigits[static_cast<int>(precision_) - static_cast<int>(P::kHour)];
}

DateTime Time::on_fixed_day() const {
  DateTime v;  // any day far from the calendar's edges: only the time fields are read back
  v.year_ = 2000;
  v.hour_ = hour_;
  v.minute_ = minute_;
  v.second_ = second_;
  v.millisecond_ = millisecond_;
  v.precision_ = precision_;
  return v;
}

std::optional<int> Time::compare(const Time& other) const {
  return compare_fields(on_fixed_day(), other.on_fixed_day(), P::kHour);
}

std::optional<bool> Time::equals(const Time& other) const {
  auto c = compare(other);
  if (!c) return std::nullopt;
  return *c == 0;
}

bool Time::equivalent(const Time& other) const {
  auto c = compare(other);
  return c && *c == 0;
}

std::optional<Time> Time::add(const Quantity& q) const {
  auto unit = calendar_unit_of(q.unit);
  if (!unit || *unit == "year" || *unit == "month" || *unit == "week" || *unit == "day") {
    return std::nullopt;
  }
  auto v = on_fixed_day().add(q);
  if (!v) return std::nullopt;
  Time t = *this;  // the day wraps; only the time of day is kept
  t.hour_ = static_cast<std::uint8_t>(v->hour());
  t.minute_ = static_cast<std::uint8_t>(v->minute());
  t.second_ = static_cast<std::uint8_t>(v->second());
  t.millisecond_ = static_cast<std::uint16_t>(v->millisecond());
  return t;
}

std::optional<Time> Time::subtract(const Quantity& q) const {
  return add(Quantity{q.value.negate(), q.unit});
}

}  // namespace hearth::fhir::fhirpath
