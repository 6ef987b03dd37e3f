// Decimal arithmetic on a 128-bit mantissa. The mantissa is capped at 36 digits so that long
// division can multiply a remainder by 10 without overflowing an unsigned 128-bit value.
#include "fhir/fhirpath/decimal.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace hearth::fhir::fhirpath {
namespace {

using u128 = unsigned __int128;

constexpr __int128 pow10(int n) {
  __int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

constexpr __int128 kMaxMantissa = pow10(Decimal::kMaxDigits) - 1;

// 10^0 .. 10^38 (10^38 < 2^127).
struct Pow10Table {
  __int128 v[39] = {};
  constexpr Pow10Table() {
    for (int i = 0; i < 39; ++i) v[i] = pow10(i);
  }
};
constexpr Pow10Table kPow10;

bool fits(__int128 m) {
  return m >= -kMaxMantissa && m <= kMaxMantissa;
}

// The decimal digits of |m|, least significant first; returns how many (at least one).
int reversed_digits(__int128 m, char (&digits)[48]) {
  int n = 0;
  u128 v = m < 0 ? static_cast<u128>(-m) : static_cast<u128>(m);
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return n;
}

// m * 10^k when the result fits the mantissa range.
std::optional<__int128> scale_up(__int128 m, int k) {
  if (k < 0 || k > Decimal::kMaxDigits) return std::nullopt;
  if (m == 0) return m;
  __int128 limit = kMaxMantissa / kPow10.v[k];
  if (m > limit || m < -limit) return std::nullopt;
  return m * kPow10.v[k];
}

// m / 10^k rounded half away from zero.
__int128 round_div_pow10(__int128 m, int k) {
  if (k <= 0) return m;
  if (k > 38) return 0;
  __int128 p = kPow10.v[k];
  __int128 q = m / p;
  __int128 r = m % p;
  if (r < 0) r = -r;
  if (r * 2 >= p) q += (m < 0 ? -1 : 1);
  return q;
}

int digit_count(u128 v) {
  int n = 0;
  while (v != 0) {
    v /= 10;
    ++n;
  }
  return n;
}

// The exact 256-bit product of two 128-bit magnitudes, as four 64-bit limbs (low first), so a
// product too wide for 128 bits can still be rounded down to our 36 digits.
struct Wide {
  std::uint64_t w[4] = {};

  static Wide product(u128 a, u128 b) {
    auto lo = [](u128 v) { return static_cast<std::uint64_t>(v); };
    u128 a0 = lo(a), a1 = a >> 64, b0 = lo(b), b1 = b >> 64;
    u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    Wide r;
    r.w[0] = lo(p00);
    u128 mid = (p00 >> 64) + lo(p01) + lo(p10);
    r.w[1] = lo(mid);
    u128 high = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + lo(p11);
    r.w[2] = lo(high);
    r.w[3] = lo((high >> 64) + (p11 >> 64));
    return r;
  }

  int div10() {  // returns the remainder
    u128 rem = 0;
    for (int i = 3; i >= 0; --i) {
      u128 cur = (rem << 64) | w[i];
      w[i] = static_cast<std::uint64_t>(cur / 10);
      rem = cur % 10;
    }
    return static_cast<int>(rem);
  }

  std::optional<u128> narrow() const {
    if (w[3] != 0 || w[2] != 0) return std::nullopt;
    return (static_cast<u128>(w[1]) << 64) | w[0];
  }
};

}  // namespace

Decimal Decimal::from_int64(std::int64_t value) {
  return {value, 0};
}

std::optional<Decimal> Decimal::from_parts(__int128 mantissa, int scale) {
  if (!fits(mantissa) || scale < 0 || scale > kMaxScale) return std::nullopt;
  return Decimal(mantissa, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  auto is_digit = [&](size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  size_t int_begin = i;
  while (is_digit(i)) ++i;
  size_t int_end = i;
  if (int_end == int_begin) return std::nullopt;
  size_t frac_begin = i;
  size_t frac_end = i;
  if (i < text.size() && text[i] == '.') {
    frac_begin = ++i;
    while (is_digit(i)) ++i;
    frac_end = i;
    if (frac_end == frac_begin) return std::nullopt;
  }
  std::int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (!is_digit(i)) return std::nullopt;
    while (is_digit(i)) {
      if (exponent > 100000) return std::nullopt;
      exponent = exponent * 10 + (text[i++] - '0');
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;

  // The digits are int part then fraction part; index k of that virtual sequence.
  size_t int_len = int_end - int_begin;
  size_t total = int_len + (frac_end - frac_begin);
  auto digit = [&](size_t k) {
    return text[k < int_len ? int_begin + k : frac_begin + (k - int_len)] - '0';
  };
  size_t first = 0;  // leading zeros carry nothing
  while (first < total && digit(first) == 0) ++first;
  std::int64_t scale = static_cast<std::int64_t>(frac_end - frac_begin) - exponent;
  // Trailing zeros after the point may go when we lack room; any other digit may not.
  size_t last = total;
  while (last > first && scale > 0 &&
         (last - first > static_cast<size_t>(kMaxDigits) || scale > kMaxScale) &&
         digit(last - 1) == 0) {
    --last;
    --scale;
  }
  if (first == last && scale > kMaxScale) scale = kMaxScale;  // zero written with many zeros
  if (last - first > static_cast<size_t>(kMaxDigits) || scale > kMaxScale) return std::nullopt;
  __int128 m = 0;
  for (size_t k = first; k < last; ++k) m = m * 10 + digit(k);
  if (scale < 0) {
    auto up = scale_up(m, static_cast<int>(scale < -100 ? -100 : -scale));
    if (!up) return std::nullopt;
    m = *up;
    scale = 0;
  }
  return Decimal(negative ? -m : m, static_cast<int>(scale));
}

std::optional<Decimal> Decimal::from_double(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return std::nullopt;
  auto d = parse(std::string_view(buf, static_cast<size_t>(end - buf)));
  if (!d) {
    // Tiny magnitudes below 10^-36 have too many decimals for us: they round to zero.
    if (std::fabs(value) < 1e-30) return Decimal();
    return std::nullopt;
  }
  return d;
}

std::string Decimal::to_string() const {
  char digits[48];
  int n = reversed_digits(mantissa_, digits);
  while (n <= scale_) digits[n++] = '0';  // at least one digit before the point
  std::string out;
  out.reserve(static_cast<size_t>(n) + 2);
  if (mantissa_ < 0) out.push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out.push_back(digits[i]);
    if (i == scale_ && i != 0) out.push_back('.');
  }
  return out;
}

bool Decimal::is_integer() const {
  return scale_ == 0 || mantissa_ % kPow10.v[scale_] == 0;
}

double Decimal::to_double() const {
  // Print "<mantissa>e-<scale>" and let from_chars round correctly once.
  char buf[64];
  char* p = buf;
  if (mantissa_ < 0) *p++ = '-';
  char digits[48];
  int n = reversed_digits(mantissa_, digits);
  while (n > 0) *p++ = digits[--n];
  *p++ = 'e';
  *p++ = '-';
  char* end = std::to_chars(p, buf + sizeof buf, scale_).ptr;
  double out = 0;
  std::from_chars(buf, end, out);
  return out;
}

std::optional<std::int64_t> Decimal::to_int64() const {
  if (!is_integer()) return std::nullopt;
  __int128 v = mantissa_ / kPow10.v[scale_];
  if (v < std::numeric_limits<std::int64_t>::min() ||
      v > std::numeric_limits<std::int64_t>::max()) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(v);
}

std::optional<Decimal> Decimal::add(const Decimal& other) const {
  // Align to the larger scale, or, when the coarser operand cannot take that many decimals,
  // to the most it can take, rounding the finer operand there (the sum keeps 36 digits).
  const Decimal& coarse = scale_ <= other.scale_ ? *this : other;
  const Decimal& fine = scale_ <= other.scale_ ? other : *this;
  int s = fine.scale_;
  std::optional<__int128> a;
  while (!(a = scale_up(coarse.mantissa_, s - coarse.scale_))) --s;      // ends at s == coarse
  __int128 sum = *a + round_div_pow10(fine.mantissa_, fine.scale_ - s);  // < 2^121
  if (!fits(sum)) {  // a carry into digit 37: give up one decimal, if there is one
    if (s == 0) return std::nullopt;
    sum = round_div_pow10(sum, 1);
    --s;
  }
  return Decimal(sum, s);
}

std::optional<Decimal> Decimal::subtract(const Decimal& other) const {
  return add(other.negate());
}

std::optional<Decimal> Decimal::multiply(const Decimal& other) const {
  __int128 product = 0;
  int scale = scale_ + other.scale_;
  if (!__builtin_mul_overflow(mantissa_, other.mantissa_, &product) && fits(product) &&
      scale <= kMaxScale) {
    return Decimal(product, scale);  // the common, exact case
  }
  // Too many digits: drop the lowest decimals of the exact product, rounding half away from
  // zero on the most significant dropped digit (one rounding, never two).
  bool negative = (mantissa_ < 0) != (other.mantissa_ < 0);
  auto magnitude = [](__int128 m) { return m < 0 ? static_cast<u128>(-m) : static_cast<u128>(m); };
  Wide p = Wide::product(magnitude(mantissa_), magnitude(other.mantissa_));
  int dropped = 0;
  for (;;) {
    auto narrow = p.narrow();
    if (narrow && *narrow <= static_cast<u128>(kMaxMantissa) && scale <= kMaxScale) break;
    if (scale == 0) return std::nullopt;  // the integer part itself is too large
    dropped = p.div10();
    --scale;
  }
  auto m = static_cast<__int128>(*p.narrow());
  if (dropped >= 5) ++m;
  if (m > kMaxMantissa) {  // rounding reached 10^36
    if (scale == 0) return std::nullopt;
    m /= 10;
    --scale;
  }
  return Decimal(negative ? -m : m, scale);
}

std::optional<Decimal> Decimal::divide(const Decimal& other) const {
  if (other.mantissa_ == 0) return std::nullopt;
  bool negative = (mantissa_ < 0) != (other.mantissa_ < 0);
  u128 ua = mantissa_ < 0 ? static_cast<u128>(-mantissa_) : static_cast<u128>(mantissa_);
  u128 ub = other.mantissa_ < 0 ? static_cast<u128>(-other.mantissa_)
                                : static_cast<u128>(other.mantissa_);
  u128 q = ua / ub;
  u128 r = ua % ub;
  int scale = scale_ - other.scale_;  // value = q * 10^-scale
  // Long division: one more decimal per step until enough significant digits (r < ub < 10^36,
  // so r * 10 stays below 2^128).
  while (r != 0 && digit_count(q) < kDivisionDigits && scale < kMaxScale) {
    r *= 10;
    q = q * 10 + r / ub;
    r %= ub;
    ++scale;
  }
  if (r != 0 && r * 2 >= ub) ++q;  // round half away from zero
  auto m = static_cast<__int128>(q);
  if (scale < 0) {
    auto up = scale_up(m, -scale);
    if (!up) return std::nullopt;
    m = *up;
    scale = 0;
  }
  if (!fits(m)) return std::nullopt;
  return Decimal(negative ? -m : m, scale);
}

std::optional<Decimal> Decimal::int_divide(const Decimal& other) const {
  if (other.mantissa_ == 0) return std::nullopt;
  int s = scale_ > other.scale_ ? scale_ : other.scale_;
  auto a = scale_up(mantissa_, s - scale_);
  auto b = scale_up(other.mantissa_, s - other.scale_);
  if (!a || !b) return std::nullopt;
  return Decimal(*a / *b, 0);  // C++ division truncates toward zero, as FHIRPath div does
}

std::optional<Decimal> Decimal::modulo(const Decimal& other) const {
  if (other.mantissa_ == 0) return std::nullopt;
  int s = scale_ > other.scale_ ? scale_ : other.scale_;
  auto a = scale_up(mantissa_, s - scale_);
  auto b = scale_up(other.mantissa_, s - other.scale_);
  if (!a || !b) return std::nullopt;
  return Decimal(*a % *b, s);
}

Decimal Decimal::negate() const {
  return {-mantissa_, scale_};
}

Decimal Decimal::abs() const {
  return mantissa_ < 0 ? negate() : *this;
}

std::optional<Decimal> Decimal::round(int digits) const {
  if (digits < 0) return std::nullopt;
  if (digits >= scale_) return *this;
  return Decimal(round_div_pow10(mantissa_, scale_ - digits), digits);
}

Decimal Decimal::truncate() const {
  return {mantissa_ / kPow10.v[scale_], 0};
}

Decimal Decimal::floor() const {
  __int128 q = mantissa_ / kPow10.v[scale_];
  if (mantissa_ < 0 && mantissa_ % kPow10.v[scale_] != 0) --q;
  return {q, 0};
}

Decimal Decimal::ceiling() const {
  __int128 q = mantissa_ / kPow10.v[scale_];
  if (mantissa_ > 0 && mantissa_ % kPow10.v[scale_] != 0) ++q;
  return {q, 0};
}

Decimal Decimal::normalized() const {
  __int128 m = mantissa_;
  int s = scale_;
  while (s > 0 && m % 10 == 0) {
    m /= 10;
    --s;
  }
  return {m, s};
}

std::optional<Decimal> Decimal::sqrt() const {
  if (is_negative()) return std::nullopt;
  return from_double(std::sqrt(to_double()));
}

std::optional<Decimal> Decimal::ln() const {
  if (mantissa_ <= 0) return std::nullopt;
  return from_double(std::log(to_double()));
}

std::optional<Decimal> Decimal::exp() const {
  return from_double(std::exp(to_double()));
}

std::optional<Decimal> Decimal::log(const Decimal& base) const {
  if (mantissa_ <= 0 || base.mantissa_ <= 0) return std::nullopt;
  double denominator = std::log(base.to_double());
  if (denominator == 0) return std::nullopt;  // base 1
  return from_double(std::log(to_double()) / denominator);
}

std::optional<Decimal> Decimal::power(const Decimal& exponent) const {
  auto n = exponent.to_int64();
  if (n && *n >= -1000 && *n <= 1000) {
    // Square-and-multiply keeps integer powers exact while they fit.
    std::int64_t k = *n < 0 ? -*n : *n;
    Decimal result = from_int64(1);
    Decimal base = *this;
    while (k > 0) {
      if ((k & 1) != 0) {
        auto r = result.multiply(base);
        if (!r) return std::nullopt;
        result = *r;
      }
      k >>= 1;
      if (k > 0) {
        auto b = base.multiply(base);
        if (!b) return std::nullopt;
        base = *b;
      }
    }
    if (*n < 0) return from_int64(1).divide(result);
    return result;
  }
  if (is_negative()) return std::nullopt;  // a real root of a negative number is not defined
  return from_double(std::pow(to_double(), exponent.to_double()));
}

int Decimal::compare(const Decimal& other) const {
  // Integer parts first, then fractions aligned to the larger scale; no step can overflow.
  __int128 ia = mantissa_ / kPow10.v[scale_];
  __int128 ib = other.mantissa_ / kPow10.v[other.scale_];
  if (ia != ib) return ia < ib ? -1 : 1;
  int s = scale_ > other.scale_ ? scale_ : other.scale_;
  __int128 fa = (mantissa_ % kPow10.v[scale_]) * kPow10.v[s - scale_];
  __int128 fb = (other.mantissa_ % kPow10.v[other.scale_]) * kPow10.v[s - other.scale_];
  if (fa != fb) return fa < fb ? -1 : 1;
  return 0;
}

bool Decimal::equivalent(const Decimal& other) const {
  Decimal a = normalized();
  Decimal b = other.normalized();
  int s = a.scale_ < b.scale_ ? a.scale_ : b.scale_;
  return a.round(s)->compare(*b.round(s)) == 0;
}

}  // namespace hearth::fhir::fhirpath
