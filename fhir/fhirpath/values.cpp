// Item <-> value-type bridge and the boundary functions; see values.h.
#include "fhir/fhirpath/values.h"

#include <array>
#include <cstdio>

namespace hearth::fhir::fhirpath::detail {

std::optional<Decimal> item_decimal(const Item& item) {
  if (item.kind == ItemKind::kInteger) return Decimal::from_int64(item.integer);
  if (item.kind == ItemKind::kDecimal) return Decimal::parse(item.text);
  return std::nullopt;
}

Item make_decimal(const Decimal& d) {
  Item i;
  i.kind = ItemKind::kDecimal;
  i.text = d.to_string();
  return i;
}

std::optional<Quantity> item_quantity(const Item& item) {
  if (item.kind != ItemKind::kQuantity) return std::nullopt;
  auto v = Decimal::parse(item.text);
  if (!v) return std::nullopt;
  return Quantity{*v, item.unit};
}

Item make_quantity(const Quantity& q) {
  Item i;
  i.kind = ItemKind::kQuantity;
  i.text = q.value.to_string();
  i.unit = q.unit;
  return i;
}

std::string quantity_text(const Item& item) {
  if (is_calendar_unit(item.unit)) return item.text + " " + item.unit;
  return item.text + " '" + item.unit + "'";
}

bool is_temporal_kind(ItemKind kind) {
  return kind == ItemKind::kDate || kind == ItemKind::kDateTime || kind == ItemKind::kTime;
}

namespace {

std::optional<DateTime> as_datetime(const Item& i) {
  if (i.kind == ItemKind::kDateTime) return DateTime::parse(i.text);
  if (i.kind == ItemKind::kDate) {
    auto d = Date::parse(i.text);
    if (d) return DateTime::from_date(*d);
  }
  return std::nullopt;
}

bool both_dates(const Item& a, const Item& b) {
  return a.kind == ItemKind::kDate && b.kind == ItemKind::kDate;
}
bool both_times(const Item& a, const Item& b) {
  return a.kind == ItemKind::kTime && b.kind == ItemKind::kTime;
}
bool mixed_time(const Item& a, const Item& b) {
  return (a.kind == ItemKind::kTime) != (b.kind == ItemKind::kTime);
}

}  // namespace

std::optional<int> temporal_compare(const Item& a, const Item& b) {
  if (mixed_time(a, b)) return std::nullopt;
  if (both_times(a, b)) {
    auto x = Time::parse(a.text), y = Time::parse(b.text);
    if (!x || !y) return std::nullopt;
    return x->compare(*y);
  }
  if (both_dates(a, b)) {
    auto x = Date::parse(a.text), y = Date::parse(b.text);
    if (!x || !y) return std::nullopt;
    return x->compare(*y);
  }
  auto x = as_datetime(a), y = as_datetime(b);
  if (!x || !y) return std::nullopt;
  return x->compare(*y);
}

std::optional<bool> temporal_equals(const Item& a, const Item& b) {
  if (mixed_time(a, b)) return false;
  if (both_times(a, b)) {
    auto x = Time::parse(a.text), y = Time::parse(b.text);
    if (!x || !y) return std::nullopt;
    return x->equals(*y);
  }
  if (both_dates(a, b)) {
    auto x = Date::parse(a.text), y = Date::parse(b.text);
    if (!x || !y) return std::nullopt;
    return x->equals(*y);
  }
  auto x = as_datetime(a), y = as_datetime(b);
  if (!x || !y) return std::nullopt;
  return x->equals(*y);
}

bool temporal_equivalent(const Item& a, const Item& b) {
  if (mixed_time(a, b)) return false;
  if (both_times(a, b)) {
    auto x = Time::parse(a.text), y = Time::parse(b.text);
    return x && y && x->equivalent(*y);
  }
  if (both_dates(a, b)) {
    auto x = Date::parse(a.text), y = Date::parse(b.text);
    return x && y && x->equivalent(*y);
  }
  auto x = as_datetime(a), y = as_datetime(b);
  return x && y && x->equivalent(*y);
}

std::optional<Item> temporal_add(const Item& t, const Quantity& q, bool subtract) {
  Item out;
  out.kind = t.kind;
  if (t.kind == ItemKind::kDate) {
    auto d = Date::parse(t.text);
    if (!d) return std::nullopt;
    auto r = subtract ? d->subtract(q) : d->add(q);
    if (!r) return std::nullopt;
    out.text = r->to_string();
  } else if (t.kind == ItemKind::kDateTime) {
    auto d = DateTime::parse(t.text);
    if (!d) return std::nullopt;
    auto r = subtract ? d->subtract(q) : d->add(q);
    if (!r) return std::nullopt;
    out.text = r->to_string();
  } else if (t.kind == ItemKind::kTime) {
    auto d = Time::parse(t.text);
    if (!d) return std::nullopt;
    auto r = subtract ? d->subtract(q) : d->add(q);
    if (!r) return std::nullopt;
    out.text = r->to_string();
  } else {
    return std::nullopt;
  }
  return out;
}

std::optional<Item> make_temporal_item(ItemKind kind, std::string_view text) {
  Item out;
  out.kind = kind;
  if (kind == ItemKind::kDate) {
    auto d = Date::parse(text);
    if (!d) return std::nullopt;
    out.text = d->to_string();
  } else if (kind == ItemKind::kDateTime) {
    auto d = DateTime::parse(text);
    if (!d) return std::nullopt;
    out.text = d->to_string();
  } else if (kind == ItemKind::kTime) {
    auto d = Time::parse(text);
    if (!d) return std::nullopt;
    out.text = d->to_string();
  } else {
    return std::nullopt;
  }
  return out;
}

std::optional<int> temporal_precision(const Item& item) {
  if (item.kind == ItemKind::kDate) {
    auto d = Date::parse(item.text);
    if (d) return d->precision_digits();
  } else if (item.kind == ItemKind::kDateTime) {
    auto d = DateTime::parse(item.text);
    if (d) return d->precision_digits();
  } else if (item.kind == ItemKind::kTime) {
    auto d = Time::parse(item.text);
    if (d) return d->precision_digits();
  }
  return std::nullopt;
}

Item clock_item(ItemKind kind, std::int64_t now_micros, int offset_minutes) {
  Item out;
  out.kind = kind;
  if (kind == ItemKind::kDate) {
    out.text = Date::today(now_micros, offset_minutes).to_string();
  } else if (kind == ItemKind::kTime) {
    out.text = Time::time_of_day(now_micros, offset_minutes).to_string();
  } else {
    out.text = DateTime::now(now_micros, offset_minutes).to_string();
  }
  return out;
}

namespace {

// `m` (>= 0) at `target` decimals: truncated, or rounded half up.
std::optional<Decimal> at_scale(const Decimal& m, int target, bool round_half_up) {
  __int128 v = m.mantissa();
  int scale = m.scale();
  if (target < scale) {
    __int128 p = 1;
    for (int k = 0; k < scale - target; ++k) p *= 10;
    __int128 q = v / p;
    if (round_half_up && (v % p) * 2 >= p) q += 1;
    v = q;
  } else {
    for (int k = scale; k < target; ++k) v *= 10;
  }
  return Decimal::from_parts(v, target);
}

// The suite's decimal boundaries: on the magnitude, the low end is truncated and the high end
// rounded half up at the target precision; a negative value swaps and negates them.
std::optional<Item> decimal_boundary(const Decimal& d, std::optional<std::int64_t> digits,
                                     bool high) {
  int target = static_cast<int>(digits.value_or(8));
  if (target < 0 || target > 28) return std::nullopt;
  auto half = Decimal::from_parts(5, d.scale() + 1);
  if (!half) return std::nullopt;
  Decimal mag = d.abs();
  bool want_high = d.is_negative() ? !high : high;
  auto edge = want_high ? mag.add(*half) : mag.subtract(*half);
  if (!edge) return std::nullopt;
  auto r = at_scale(*edge, target, want_high);
  if (!r) return std::nullopt;
  return make_decimal(d.is_negative() ? r->negate() : *r);
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// Fields of a temporal value, filled to the finest precision toward the low or high end.
struct Fields {
  int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
  int offset = 0;
  bool has_offset = false;
};

std::string print(const Fields& f, ItemKind kind, int digits) {
  std::array<char, 80> buf{};
  std::string out;
  if (kind != ItemKind::kTime) {
    std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02d", f.year, f.month, f.day);
    out = buf.data();
    out.resize(digits >= 8 ? 10 : digits == 6 ? 7 : 4);
    if (kind == ItemKind::kDate || digits <= 8) return out;
    out += 'T';
    digits -= 8;
  }
  std::snprintf(buf.data(), buf.size(), "%02d:%02d:%02d.%03d", f.hour, f.minute, f.second,
                f.millis);
  std::string time = buf.data();
  time.resize(digits >= 9 ? 12 : digits == 6 ? 8 : digits == 4 ? 5 : 2);
  out += time;
  if (kind == ItemKind::kDateTime && f.has_offset) {
    int m = f.offset < 0 ? -f.offset : f.offset;
    std::snprintf(buf.data(), buf.size(), "%c%02d:%02d", f.offset < 0 ? '-' : '+', m / 60, m % 60);
    out += buf.data();
  }
  return out;
}

std::optional<Item> temporal_boundary(const Item& value, std::optional<std::int64_t> digits,
                                      bool high) {
  Fields f;
  TemporalPrecision p;
  if (value.kind == ItemKind::kTime) {
    auto t = Time::parse(value.text);
    if (!t) return std::nullopt;
    f.hour = t->hour(), f.minute = t->minute(), f.second = t->second();
    f.millis = t->millisecond();
    p = t->precision();
  } else {
    auto d = as_datetime(value);
    if (!d) return std::nullopt;
    f.year = d->year(), f.month = d->month(), f.day = d->day(), f.hour = d->hour();
    f.minute = d->minute(), f.second = d->second(), f.millis = d->millisecond();
    f.has_offset = d->has_offset(), f.offset = d->offset_minutes();
    p = d->precision();
  }
  if (p < TemporalPrecision::kMonth) f.month = high ? 12 : 1;
  if (p < TemporalPrecision::kDay) f.day = high ? days_in_month(f.year, f.month) : 1;
  if (p < TemporalPrecision::kHour) f.hour = high ? 23 : 0;
  if (p < TemporalPrecision::kMinute) f.minute = high ? 59 : 0;
  if (p < TemporalPrecision::kSecond) f.second = high ? 59 : 0;
  if (p < TemporalPrecision::kMillisecond) f.millis = high ? 999 : 0;
  // Without an offset the value could be in any zone: the earliest is +14:00, the latest -12:00.
  if (value.kind == ItemKind::kDateTime && !f.has_offset) {
    f.has_offset = true;
    f.offset = high ? -12 * 60 : 14 * 60;
  }
  int finest = value.kind == ItemKind::kDate ? 8 : value.kind == ItemKind::kTime ? 9 : 17;
  int want = static_cast<int>(digits.value_or(finest));
  static constexpr int kDateDigits[] = {4, 6, 8, 10, 12, 14, 17};
  static constexpr int kTimeDigits[] = {2, 4, 6, 9};
  bool valid = false;
  if (value.kind == ItemKind::kTime) {
    for (int d : kTimeDigits) valid = valid || d == want;
  } else {
    for (int d : kDateDigits)
      valid = valid || (d == want && (value.kind == ItemKind::kDateTime || d <= 8));
  }
  if (!valid) return std::nullopt;
  ItemKind kind = value.kind;
  if (kind == ItemKind::kDateTime && want <= 8) kind = ItemKind::kDate;
  Item out;
  out.kind = kind;
  out.text = print(f, kind, want);
  return out;
}

}  // namespace

std::optional<Item> boundary(const Item& value, std::optional<std::int64_t> digits, bool high) {
  if (value.kind == ItemKind::kInteger || value.kind == ItemKind::kDecimal) {
    auto d = item_decimal(value);
    if (!d) return std::nullopt;
    return decimal_boundary(*d, digits, high);
  }
  if (value.kind == ItemKind::kQuantity) {
    auto q = item_quantity(value);
    if (!q) return std::nullopt;
    auto r = decimal_boundary(q->value, digits, high);
    if (!r) return std::nullopt;
    r->kind = ItemKind::kQuantity;
    r->unit = value.unit;
    return r;
  }
  if (is_temporal_kind(value.kind)) return temporal_boundary(value, digits, high);
  return std::nullopt;
}

}  // namespace hearth::fhir::fhirpath::detail
