#pragma once
// Per-response latency and error injection of the demo target. Pure: the caller owns the
// timers; this only decides how long to wait and whether to fail.
#include <chrono>
#include <cstdint>

namespace faultline::demo {

struct FaultSettings {
    std::chrono::nanoseconds latency{std::chrono::milliseconds(5)};
    std::chrono::nanoseconds jitter{std::chrono::milliseconds(2)};  // uniform in [-jitter, +jitter]
    double error_rate = 0.01;                                      // in [0, 1]
    std::uint64_t seed = 1;
};

// The fault draws of one connection. Each connection gets its own stream (seeded from the
// run seed and the connection's number), so a connection's sequence of delays and errors is
// reproducible whatever the other connections do. Not thread-safe: one per connection.
class ResponseFaults {
public:
    ResponseFaults(const FaultSettings& settings, std::uint64_t stream_id) noexcept;

    // latency ± uniform jitter, never negative.
    std::chrono::nanoseconds next_delay() noexcept;
    // true with probability error_rate.
    bool next_error() noexcept;

private:
    std::uint64_t next_u64() noexcept;
    double next_unit() noexcept;  // uniform in [0, 1)

    FaultSettings settings_;
    std::uint64_t state_;
};

}  // namespace faultline::demo
