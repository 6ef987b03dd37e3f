// The real clock and the UUID id generator.
#include "core/clock.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>

namespace hearth {
namespace {

class SystemClock final : public Clock {
 public:
  std::int64_t now_micros() const override {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// Version-7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter within the
// millisecond (RFC 9562 section 6.2, method 1), then 62 random bits. Ids made later sort later,
// so new rows land at the right edge of every index keyed by id (one hot page per batch of
// creates instead of one random page per create); the random bits keep replicas apart.
class TimeOrderedUuidGenerator final : public IdGenerator {
 public:
  explicit TimeOrderedUuidGenerator(const Clock& clock) : clock_(clock) {}

  std::string next_id() override {
    const std::uint64_t stamp = next_stamp();  // ms << 12 | counter
    thread_local std::mt19937_64 engine{std::random_device{}()};
    const std::uint64_t hi = (stamp >> 12) << 16 | 0x7000ULL | (stamp & 0xFFFULL);
    const std::uint64_t lo = (engine() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(36, '-');
    int pos = 0;
    for (const std::uint64_t word : {hi, lo}) {
      for (int shift = 60; shift >= 0; shift -= 4) {
        if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
        out[pos++] = kHex[(word >> shift) & 0xF];
      }
    }
    return out;
  }

 private:
  // Strictly increasing across threads: max(now, previous + 1). When more than 4096 ids are
  // made in one millisecond the counter carries into the next millisecond, which keeps the
  // order (the stamp runs ahead of the clock only until the clock catches up).
  std::uint64_t next_stamp() {
    const auto now_ms = static_cast<std::uint64_t>(clock_.now_micros() / 1000);
    std::uint64_t previous = last_.load(std::memory_order_relaxed);
    std::uint64_t next = 0;
    do {
      next = std::max(now_ms << 12, previous + 1);
    } while (!last_.compare_exchange_weak(previous, next, std::memory_order_relaxed));
    return next;
  }

  const Clock& clock_;
  std::atomic<std::uint64_t> last_{0};
};

}  // namespace

std::unique_ptr<Clock> make_system_clock() {
  return std::make_unique<SystemClock>();
}
std::unique_ptr<IdGenerator> make_uuid_generator(const Clock& clock) {
  return std::make_unique<TimeOrderedUuidGenerator>(clock);
}

}  // namespace hearth
