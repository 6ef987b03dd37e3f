// Histogram buckets by linear scan (at most 16 bounds: cheaper than a branchy binary search at
// this size) and the text format's escaping and number forms.
#include "core/metrics.h"

#include <cassert>
#include <charconv>
#include <cmath>

namespace hearth::metrics {

Histogram::Histogram(std::span<const std::uint64_t> bounds) noexcept : bounds_(bounds) {
  assert(bounds.size() <= kMaxBounds);
}

void Histogram::observe(std::uint64_t value) noexcept {
  std::size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const noexcept {
  Snapshot out;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    out.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    out.count += out.buckets[i];
  }
  out.sum = sum_.load(std::memory_order_relaxed);
  return out;
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char digits[32];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, end);
  }
}

namespace {

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

void TextWriter::family(std::string_view name, std::string_view help, std::string_view type) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  // HELP text escapes only backslash and newline.
  for (char c : help) {
    if (c == '\\') {
      out_ += "\\\\";
    } else if (c == '\n') {
      out_ += "\\n";
    } else {
      out_ += c;
    }
  }
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void TextWriter::series(std::string_view name, std::string_view suffix,
                        std::initializer_list<Label> labels, const Label* extra) {
  out_ += name;
  out_ += suffix;
  if (labels.size() == 0 && extra == nullptr) {
    out_ += ' ';
    return;
  }
  char separator = '{';
  auto one = [&](const Label& label) {
    out_ += separator;
    out_ += label.name;
    out_ += "=\"";
    append_label_value(out_, label.value);
    out_ += '"';
    separator = ',';
  };
  for (const Label& label : labels) one(label);
  if (extra != nullptr) one(*extra);
  out_ += "} ";
}

void TextWriter::sample(std::string_view name, std::initializer_list<Label> labels,
                        std::uint64_t value) {
  series(name, {}, labels, nullptr);
  append_integer(out_, value);
  out_ += '\n';
}

void TextWriter::sample(std::string_view name, std::initializer_list<Label> labels,
                        std::int64_t value) {
  series(name, {}, labels, nullptr);
  append_integer(out_, value);
  out_ += '\n';
}

void TextWriter::sample(std::string_view name, std::initializer_list<Label> labels, double value) {
  series(name, {}, labels, nullptr);
  append_number(out_, value);
  out_ += '\n';
}

void TextWriter::histogram(std::string_view name, std::initializer_list<Label> labels,
                           const Histogram& histogram, std::uint64_t per_unit) {
  const Histogram::Snapshot snap = histogram.snapshot();
  const std::span<const std::uint64_t> bounds = histogram.bounds();
  std::uint64_t cumulative = 0;
  std::string le;
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += snap.buckets[i];
    le.clear();
    if (i < bounds.size()) {
      char digits[48];
      const double bound = static_cast<double>(bounds[i]) / static_cast<double>(per_unit);
      auto [end, ec] =
          std::to_chars(digits, digits + sizeof digits, bound, std::chars_format::fixed);
      le.assign(digits, end);
    } else {
      le = "+Inf";
    }
    const Label bound{"le", le};
    series(name, "_bucket", labels, &bound);
    append_integer(out_, cumulative);
    out_ += '\n';
  }
  series(name, "_sum", labels, nullptr);
  if (per_unit == 1) {
    append_integer(out_, snap.sum);
  } else {
    append_number(out_, static_cast<double>(snap.sum) / static_cast<double>(per_unit));
  }
  out_ += '\n';
  series(name, "_count", labels, nullptr);
  append_integer(out_, snap.count);
  out_ += '\n';
}

}  // namespace hearth::metrics
