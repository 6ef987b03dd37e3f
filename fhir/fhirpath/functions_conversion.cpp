// Conversion functions (http://hl7.org/fhirpath/N1/#conversion): toX() and convertsToX() for
// Boolean, Integer, Decimal, String, Date, DateTime, Time and Quantity. Each pair shares one
// converter: convertsToX() is "toX() gives a value".
#include <cctype>
#include <charconv>

#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/values.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool is_integer_text(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (i >= s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool is_decimal_text(std::string_view s) {
  std::size_t dot = s.find('.');
  if (dot == std::string_view::npos) return is_integer_text(s);
  std::string_view frac = s.substr(dot + 1);
  if (frac.empty()) return false;
  for (char ch : frac) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  }
  std::string_view whole = s.substr(0, dot);
  return is_integer_text(whole) || whole.empty();
}

std::optional<Item> to_boolean_value(const Item& v) {
  switch (v.kind) {
    case ItemKind::kBoolean: return v;
    case ItemKind::kInteger:
      if (v.integer == 0 || v.integer == 1) return make_boolean(v.integer == 1);
      return std::nullopt;
    case ItemKind::kDecimal: {
      auto d = Decimal::parse(v.text);
      if (d && d->compare(Decimal::from_int64(1)) == 0) return make_boolean(true);
      if (d && d->is_zero()) return make_boolean(false);
      return std::nullopt;
    }
    case ItemKind::kString: {
      std::string s = lower(v.text);
      if (s == "true" || s == "t" || s == "yes" || s == "y" || s == "1" || s == "1.0") {
        return make_boolean(true);
      }
      if (s == "false" || s == "f" || s == "no" || s == "n" || s == "0" || s == "0.0") {
        return make_boolean(false);
      }
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

std::optional<Item> to_integer_value(const Item& v) {
  switch (v.kind) {
    case ItemKind::kInteger: return v;
    case ItemKind::kBoolean: return make_integer(v.boolean ? 1 : 0);
    case ItemKind::kString: {
      if (!is_integer_text(v.text)) return std::nullopt;
      std::string_view digits = v.text;
      if (digits[0] == '+') digits.remove_prefix(1);
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
      return make_integer(value);
    }
    default: return std::nullopt;
  }
}

std::optional<Item> to_decimal_value(const Item& v) {
  switch (v.kind) {
    case ItemKind::kDecimal: return v;
    case ItemKind::kInteger: return make_decimal(Decimal::from_int64(v.integer));
    case ItemKind::kBoolean: return make_decimal(*Decimal::parse(v.boolean ? "1.0" : "0.0"));
    case ItemKind::kString: {
      if (!is_decimal_text(v.text)) return std::nullopt;
      auto d = Decimal::parse(v.text);
      if (!d) return std::nullopt;
      return make_decimal(*d);
    }
    default: return std::nullopt;
  }
}

std::optional<Item> to_string_value(const Item& v) {
  switch (v.kind) {
    case ItemKind::kString: return v;
    case ItemKind::kBoolean: return make_string(v.boolean ? "true" : "false");
    case ItemKind::kInteger: return make_string(std::to_string(v.integer));
    case ItemKind::kDecimal:
    case ItemKind::kDate:
    case ItemKind::kDateTime:
    case ItemKind::kTime: return make_string(v.text);
    case ItemKind::kQuantity: return make_string(quantity_text(v));
    default: return std::nullopt;
  }
}

std::optional<Item> to_temporal(const Item& v, ItemKind target) {
  if (v.kind == target) return v;
  if (v.kind == ItemKind::kString) {
    if (target == ItemKind::kDate) {
      // A dateTime string converts to its date part.
      auto d = make_temporal_item(ItemKind::kDate, v.text);
      if (d) return d;
      auto dt = DateTime::parse(v.text);
      if (!dt) return std::nullopt;
      return make_temporal_item(ItemKind::kDate,
                                v.text.substr(0, std::min<std::size_t>(10, v.text.size())));
    }
    return make_temporal_item(target, v.text);
  }
  if (v.kind == ItemKind::kDate && target == ItemKind::kDateTime) {
    return make_temporal_item(ItemKind::kDateTime, v.text);
  }
  if (v.kind == ItemKind::kDateTime && target == ItemKind::kDate) {
    auto dt = DateTime::parse(v.text);
    if (!dt) return std::nullopt;
    std::string s = dt->to_string();
    return make_temporal_item(ItemKind::kDate, s.substr(0, std::min<std::size_t>(10, s.find('T'))));
  }
  return std::nullopt;
}
std::optional<Item> to_date_value(const Item& v) {
  return to_temporal(v, ItemKind::kDate);
}
std::optional<Item> to_datetime_value(const Item& v) {
  return to_temporal(v, ItemKind::kDateTime);
}
std::optional<Item> to_time_value(const Item& v) {
  return to_temporal(v, ItemKind::kTime);
}

std::optional<Item> parse_quantity_text(std::string_view s) {
  auto q = parse_quantity_literal(s);
  if (!q) return std::nullopt;
  return make_quantity(*q);
}

std::optional<Item> to_quantity_value(const Item& v) {
  switch (v.kind) {
    case ItemKind::kQuantity: return v;
    case ItemKind::kInteger:
    case ItemKind::kDecimal: return make_quantity(Quantity{*item_decimal(v), "1"});
    case ItemKind::kBoolean:
      return make_quantity(Quantity{*Decimal::parse(v.boolean ? "1.0" : "0.0"), "1"});
    case ItemKind::kString: return parse_quantity_text(v.text);
    default: return std::nullopt;
  }
}

using Converter = std::optional<Item> (*)(const Item&);

// Runs `conv` on the single input; `test` selects convertsToX() (a Boolean) over toX().
Status convert(Call& c, Converter conv, bool test) {
  auto v = input_value(c);
  if (!v.is_ok()) return std::move(v).take_status();
  if (!v->has_value()) return Status::ok();
  std::optional<Item> r = conv(**v);
  if (r && r->kind == ItemKind::kQuantity && !c.args.empty()) {
    auto unit = arg_string(c, 0);
    if (!unit.is_ok()) return std::move(unit).take_status();
    if (unit->has_value()) {
      auto q = item_quantity(*r);
      auto converted = q ? convert(*q, **unit) : std::nullopt;
      r = converted ? std::optional<Item>(make_quantity(*converted)) : std::nullopt;
    }
  }
  if (test) return push_bool(c, r.has_value());
  if (r) c.out.push_back(std::move(*r));
  return Status::ok();
}

template <Converter conv, bool test>
Status fn(Call& c) {
  return convert(c, conv, test);
}

constexpr FunctionDef kFunctions[] = {
    {"toBoolean", 0, 0, ArgMode::kValues, fn<to_boolean_value, false>},
    {"convertsToBoolean", 0, 0, ArgMode::kValues, fn<to_boolean_value, true>},
    {"toInteger", 0, 0, ArgMode::kValues, fn<to_integer_value, false>},
    {"convertsToInteger", 0, 0, ArgMode::kValues, fn<to_integer_value, true>},
    {"toDecimal", 0, 0, ArgMode::kValues, fn<to_decimal_value, false>},
    {"convertsToDecimal", 0, 0, ArgMode::kValues, fn<to_decimal_value, true>},
    {"toString", 0, 0, ArgMode::kValues, fn<to_string_value, false>},
    {"convertsToString", 0, 0, ArgMode::kValues, fn<to_string_value, true>},
    {"toDate", 0, 0, ArgMode::kValues, fn<to_date_value, false>},
    {"convertsToDate", 0, 0, ArgMode::kValues, fn<to_date_value, true>},
    {"toDateTime", 0, 0, ArgMode::kValues, fn<to_datetime_value, false>},
    {"convertsToDateTime", 0, 0, ArgMode::kValues, fn<to_datetime_value, true>},
    {"toTime", 0, 0, ArgMode::kValues, fn<to_time_value, false>},
    {"convertsToTime", 0, 0, ArgMode::kValues, fn<to_time_value, true>},
    {"toQuantity", 0, 1, ArgMode::kValues, fn<to_quantity_value, false>},
    {"convertsToQuantity", 0, 1, ArgMode::kValues, fn<to_quantity_value, true>},
};

}  // namespace

std::span<const FunctionDef> conversion_functions() {
  return kFunctions;
}

}  // namespace hearth::fhir::fhirpath::detail
