// Metric instruments and the Prometheus text exposition format (version 0.0.4): counters,
// gauges and fixed-bucket histograms made of atomics, so the hot path records with a few
// relaxed atomic adds and never allocates or locks; and a writer that renders their values
// (at scrape time, allocating freely) as `# HELP` / `# TYPE` families and samples.
//
// Labels are the caller's business: an instrument is one series; a labelled family is an
// array of instruments the caller indexes (server/server_metrics.h). Label values must come
// from closed sets (an interaction, a resource type, an ACK code), never from ids or values:
// logs and metrics carry no PHI.
//
// Thread-safety: every instrument may be updated and read from any thread at once; a reading
// (snapshot) is not atomic across a histogram's buckets, which Prometheus tolerates (the count
// is the buckets' sum, so `+Inf` always equals `_count`). TextWriter is single-threaded.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace hearth::metrics {

class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t n) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Bucket upper bounds (inclusive, ascending, in the histogram's own integer unit such as
// microseconds or items): at most kMaxBounds; the +Inf bucket is implicit. The span must
// outlive every histogram made with it (a static array).
inline constexpr std::size_t kMaxBounds = 16;

// Latency in microseconds, 100 us to 10 s: the shape of a FHIR request, a store commit, an ACK.
inline constexpr std::array<std::uint64_t, 16> kLatencyMicros = {
    100,    250,     500,     1'000,   2'500,     5'000,     10'000,    25'000,
    50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};

class Histogram {
 public:
  struct Snapshot {
    std::array<std::uint64_t, kMaxBounds + 1> buckets{};  // per bucket, not cumulative
    std::uint64_t count = 0;                              // the buckets' sum
    std::uint64_t sum = 0;                                // of observed values, own unit
  };

  // `bounds`: ascending, at most kMaxBounds (asserted: a programming error), static storage.
  explicit Histogram(std::span<const std::uint64_t> bounds = kLatencyMicros) noexcept;

  void observe(std::uint64_t value) noexcept;
  Snapshot snapshot() const noexcept;
  std::span<const std::uint64_t> bounds() const noexcept { return bounds_; }

 private:
  std::span<const std::uint64_t> bounds_;
  std::array<std::atomic<std::uint64_t>, kMaxBounds + 1> buckets_{};
  std::atomic<std::uint64_t> sum_{0};
};

struct Label {
  std::string_view name;
  std::string_view value;
};

// Appends the text format to `out`. Metric and label names are the caller's constants
// ([a-zA-Z_:][a-zA-Z0-9_:]*); label values are escaped (\\, \", \n). Families must be
// written whole, one after another (family() then its samples).
class TextWriter {
 public:
  explicit TextWriter(std::string& out) : out_(out) {}

  // "# HELP name help\n# TYPE name type\n"; `type` is counter, gauge or histogram.
  void family(std::string_view name, std::string_view help, std::string_view type);

  // "name{a="x",b="y"} value\n".
  void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value);
  void sample(std::string_view name, std::initializer_list<Label> labels, std::int64_t value);
  void sample(std::string_view name, std::initializer_list<Label> labels, double value);

  // name_bucket{labels...,le="..."} (cumulative, +Inf last), name_sum, name_count. Bounds and
  // sum are divided by `per_unit` (1'000'000 turns microseconds into the seconds Prometheus
  // wants); `le` is written in fixed notation ("0.0001", "2.5", "10").
  void histogram(std::string_view name, std::initializer_list<Label> labels,
                 const Histogram& histogram, std::uint64_t per_unit = 1);

 private:
  void series(std::string_view name, std::string_view suffix, std::initializer_list<Label> labels,
              const Label* extra);

  std::string& out_;
};

// Appends `value` escaped for a label value.
void append_label_value(std::string& out, std::string_view value);

// Appends `value` the way the text format reads it: the shortest form that reads back exactly
// ("0.25", "1e-07", "12"), "+Inf", "-Inf", "NaN".
void append_number(std::string& out, double value);

}  // namespace hearth::metrics
