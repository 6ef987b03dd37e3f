// FHIRPath Decimal (http://hl7.org/fhirpath/N1/#decimal): an exact base-10 number kept as a
// signed 128-bit mantissa and a scale (digits after the point), so 0.1 + 0.2 = 0.3 and "1.50"
// keeps its two decimals. + - * are exact (a product needing more than kMaxDigits digits gives
// up its lowest decimals, rounded); / keeps kDivisionDigits significant digits. Anything that
// does not fit (more than kMaxDigits integer digits, or a scale above kMaxScale) is an overflow
// and yields std::nullopt, which FHIRPath turns into the empty collection. sqrt, ln, exp, log
// and non-integer powers go through double (about 15-17 significant digits).
// A value type (32 bytes, no allocation except to_string); thread-safe as any int.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::fhir::fhirpath {

class Decimal {
 public:
  // Largest mantissa magnitude is 10^kMaxDigits - 1 (headroom for exact long division).
  static constexpr int kMaxDigits = 36;
  // Most digits after the point; parse and arithmetic beyond it overflow (empty).
  static constexpr int kMaxScale = 36;
  // Significant digits a quotient keeps (FHIRPath asks for at least 8 decimals; 1.0/3 gives
  // 0.33333333333333333333).
  static constexpr int kDivisionDigits = 20;

  Decimal() = default;  // 0 (scale 0)

  static Decimal from_int64(std::int64_t value);
  // mantissa * 10^-scale; empty when |mantissa| or scale is out of range.
  static std::optional<Decimal> from_parts(__int128 mantissa, int scale);
  // FHIRPath/FHIR decimal text: optional sign, digits, optional '.' digits, optional exponent
  // (FHIR JSON allows 1e2, 1.5E-3). Leading '+' accepted. Empty on any other text or overflow.
  // The scale is the written one: "1.50" -> scale 2, "1e2" -> 100 scale 0, "1.5e-3" -> 0.0015.
  static std::optional<Decimal> parse(std::string_view text);
  // The shortest text that round-trips the double; empty for NaN/infinity/overflow.
  static std::optional<Decimal> from_double(double value);

  // Plain notation, never an exponent, keeping the scale: "1.50", "-0.001", "100".
  std::string to_string() const;

  __int128 mantissa() const { return mantissa_; }
  int scale() const { return scale_; }  // digits after the point as written/computed
  // FHIRPath precision() of a decimal: the number of digits after the point (== scale()).
  int precision() const { return scale_; }
  bool is_integer() const;  // no non-zero digit after the point (2.00 is an integer)
  bool is_zero() const { return mantissa_ == 0; }
  bool is_negative() const { return mantissa_ < 0; }
  double to_double() const;
  // The integral value when is_integer() and it fits in int64; empty otherwise.
  std::optional<std::int64_t> to_int64() const;

  // Arithmetic; empty on overflow or (divide, int_divide, modulo) division by zero. A sum
  // that needs more than kMaxDigits digits gives up its lowest decimals, rounded.
  std::optional<Decimal> add(const Decimal& other) const;
  std::optional<Decimal> subtract(const Decimal& other) const;
  std::optional<Decimal> multiply(const Decimal& other) const;    // scale = sum of scales
  std::optional<Decimal> divide(const Decimal& other) const;      // kDivisionDigits, rounded
  std::optional<Decimal> int_divide(const Decimal& other) const;  // FHIRPath div: truncated
  std::optional<Decimal> modulo(const Decimal& other) const;      // FHIRPath mod: sign of lhs
  Decimal negate() const;
  Decimal abs() const;

  // Rounds half away from zero to `digits` decimals (FHIRPath round(); digits < 0 is empty).
  // A value already at or below that scale is returned unchanged (3.1.round(2) = 3.1).
  std::optional<Decimal> round(int digits = 0) const;
  Decimal truncate() const;  // toward zero, scale 0
  Decimal floor() const;     // scale 0
  Decimal ceiling() const;   // scale 0 (cannot overflow: a fraction leaves integer headroom)
  // Drops trailing zeros after the point: 1.500 -> 1.5, 2.00 -> 2.
  Decimal normalized() const;

  // FHIRPath math functions; empty where the result is undefined (sqrt(-1), ln(0),
  // (-8).power(1/3)), not finite, or out of range. power() with an integer exponent up to 1000
  // is exact (2.5.power(2) = 6.25; negative exponents divide); other exponents use double.
  std::optional<Decimal> sqrt() const;
  std::optional<Decimal> ln() const;
  std::optional<Decimal> exp() const;
  std::optional<Decimal> log(const Decimal& base) const;
  std::optional<Decimal> power(const Decimal& exponent) const;

  // Numeric order and equality: 1.0 == 1.00 (FHIRPath '=' on decimals).
  int compare(const Decimal& other) const;
  friend bool operator==(const Decimal& a, const Decimal& b) { return a.compare(b) == 0; }
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    return a.compare(b) <=> 0;
  }
  // FHIRPath '~': equal after rounding both to the smaller scale, trailing zeros not counting
  // as precision (1.23 ~ 1.2 is true, 1.20 ~ 1.23 is true, 1.3 ~ 1.23 is false).
  bool equivalent(const Decimal& other) const;
  // Same value and same scale (1.0 vs 1.00 differ); for tests and caches.
  bool identical(const Decimal& other) const {
    return mantissa_ == other.mantissa_ && scale_ == other.scale_;
  }

 private:
  Decimal(__int128 mantissa, int scale) : mantissa_(mantissa), scale_(scale) {}

  __int128 mantissa_ = 0;
  int scale_ = 0;
};

}  // namespace hearth::fhir::fhirpath
