// Injectable time and id generation, so tests are deterministic (STYLE 17).
// Implementations must be thread-safe: the server calls them from many workers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace hearth {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC.
  virtual std::int64_t now_micros() const = 0;
};

// The system's real-time clock.
std::unique_ptr<Clock> make_system_clock();

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new FHIR id (matches [A-Za-z0-9\-\.]{1,64}), unique across processes and replicas.
  virtual std::string next_id() = 0;
};

// Time-ordered version-7 UUIDs in lower-case text (36 chars): ids made later sort later (within
// one process), which keeps id-keyed indexes appending; 62 random bits per id (a per-thread
// generator seeded from the OS) keep processes and replicas apart. `clock` must outlive it.
std::unique_ptr<IdGenerator> make_uuid_generator(const Clock& clock);

}  // namespace hearth
