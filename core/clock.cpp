// The real clock and the UUID id generator.
#include "core/clock.h"

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

class UuidGenerator final : public IdGenerator {
 public:
  std::string next_id() override {
    // One engine per thread: no lock on the create path.
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uint64_t hi = engine();
    std::uint64_t lo = engine();
    hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(36, '-');
    int pos = 0;
    auto put = [&](std::uint64_t word, int nibbles_from, int count) {
      for (int i = 0; i < count; ++i) {
        if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
        out[pos++] = kHex[(word >> (4 * (nibbles_from - 1 - i))) & 0xF];
      }
    };
    put(hi, 16, 16);
    put(lo, 16, 16);
    return out;
  }
};

}  // namespace

std::unique_ptr<Clock> make_system_clock() { return std::make_unique<SystemClock>(); }
std::unique_ptr<IdGenerator> make_uuid_generator() { return std::make_unique<UuidGenerator>(); }

}  // namespace hearth
