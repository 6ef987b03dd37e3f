// The metric instruments and the Prometheus text format they are rendered in.
#include "core/metrics.h"

#include <doctest/doctest.h>

#include <array>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace hearth::metrics {
namespace {

constexpr std::array<std::uint64_t, 3> kSmall = {1, 5, 10};

}  // namespace

TEST_CASE("histogram: a value lands in the first bucket whose bound is at least it") {
  Histogram h(kSmall);
  for (std::uint64_t v : {0, 1, 2, 5, 6, 10, 11, 1000}) h.observe(v);
  const Histogram::Snapshot s = h.snapshot();
  CHECK(s.buckets[0] == 2);  // 0, 1
  CHECK(s.buckets[1] == 2);  // 2, 5
  CHECK(s.buckets[2] == 2);  // 6, 10
  CHECK(s.buckets[3] == 2);  // 11, 1000: +Inf
  CHECK(s.count == 8);
  CHECK(s.sum == 0 + 1 + 2 + 5 + 6 + 10 + 11 + 1000);
}

TEST_CASE("counters and histograms lose no update under concurrent writers") {
  Counter counter;
  Histogram h(kSmall);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.add();
        h.observe(static_cast<std::uint64_t>(i % 12));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(counter.value() == 40000);
  CHECK(h.snapshot().count == 40000);
}

TEST_CASE("text format: HELP, TYPE and samples with escaped label values") {
  std::string out;
  TextWriter writer(out);
  writer.family("hearth_things_total", "Things seen.\nSecond line \\ done", "counter");
  writer.sample("hearth_things_total", {{"kind", "a\"b"}, {"path", "x\\y\nz"}}, std::uint64_t{7});
  writer.sample("hearth_plain", {}, std::int64_t{-3});
  writer.sample("hearth_ratio", {}, 0.25);
  CHECK(out ==
        "# HELP hearth_things_total Things seen.\\nSecond line \\\\ done\n"
        "# TYPE hearth_things_total counter\n"
        "hearth_things_total{kind=\"a\\\"b\",path=\"x\\\\y\\nz\"} 7\n"
        "hearth_plain -3\n"
        "hearth_ratio 0.25\n");
}

TEST_CASE("text format: a histogram's buckets are cumulative, bounds and sum in seconds") {
  static constexpr std::array<std::uint64_t, 3> kMicros = {100, 2'500, 1'000'000};
  Histogram h(kMicros);
  h.observe(50);         // <= 100 us
  h.observe(2'000);      // <= 2.5 ms
  h.observe(3'000'000);  // +Inf
  std::string out;
  TextWriter(out).histogram("hearth_x_seconds", {{"op", "read"}}, h, 1'000'000);
  CHECK(out ==
        "hearth_x_seconds_bucket{op=\"read\",le=\"0.0001\"} 1\n"
        "hearth_x_seconds_bucket{op=\"read\",le=\"0.0025\"} 2\n"
        "hearth_x_seconds_bucket{op=\"read\",le=\"1\"} 2\n"
        "hearth_x_seconds_bucket{op=\"read\",le=\"+Inf\"} 3\n"
        "hearth_x_seconds_sum{op=\"read\"} 3.00205\n"
        "hearth_x_seconds_count{op=\"read\"} 3\n");
}

TEST_CASE("text format: a histogram in its own unit, without labels") {
  Histogram h(kSmall);
  h.observe(3);
  std::string out;
  TextWriter(out).histogram("hearth_batch", {}, h);
  CHECK(out ==
        "hearth_batch_bucket{le=\"1\"} 0\n"
        "hearth_batch_bucket{le=\"5\"} 1\n"
        "hearth_batch_bucket{le=\"10\"} 1\n"
        "hearth_batch_bucket{le=\"+Inf\"} 1\n"
        "hearth_batch_sum 3\n"
        "hearth_batch_count 1\n");
}

TEST_CASE("numbers: shortest exact form, infinities and NaN") {
  std::string out;
  append_number(out, 1.5);
  out += ' ';
  append_number(out, 1e-7);
  out += ' ';
  append_number(out, std::numeric_limits<double>::infinity());
  out += ' ';
  append_number(out, -std::numeric_limits<double>::infinity());
  out += ' ';
  append_number(out, std::numeric_limits<double>::quiet_NaN());
  CHECK(out == "1.5 1e-07 +Inf -Inf NaN");
}

}  // namespace hearth::metrics
