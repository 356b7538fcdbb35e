#pragma once
// The only place in faultline that reads the time. Everything else takes a Clock& so
// that pure logic and tests can run on a manual clock.
#include <chrono>
#include <cstdint>

namespace faultline {

using Clock_tp = std::chrono::steady_clock::time_point;
using Duration = std::chrono::nanoseconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual Clock_tp now() const noexcept = 0;
};

// The process's monotonic clock. Thread-safe.
class SteadyClock final : public Clock {
public:
    Clock_tp now() const noexcept override;
    static SteadyClock& instance() noexcept;
};

// Wall-clock time in milliseconds since the Unix epoch, for result timestamps only
// (never for measuring durations).
std::int64_t unix_time_ms() noexcept;

// CPU time (user + system) this process has used so far.
Duration process_cpu_time() noexcept;

}  // namespace faultline
