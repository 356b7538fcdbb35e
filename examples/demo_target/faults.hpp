#pragma once
// Per-response latency and error injection of the demo target. Pure: the caller owns the
// timers; this only decides how long to wait and whether to fail.
#include <atomic>
#include <chrono>
#include <cstdint>

#include "common/clock.hpp"

namespace faultline::demo {

struct FaultSettings {
    std::chrono::nanoseconds latency{std::chrono::milliseconds(5)};
    std::chrono::nanoseconds jitter{std::chrono::milliseconds(2)};  // uniform in [-jitter, +jitter]
    double error_rate = 0.01;                                      // in [0, 1]
    std::uint64_t seed = 1;
    // One stall (--stall-at, --stall-for): every response due in [first request + stall_at,
    // + stall_for) is held until the end of that window. stall_for 0: no stall.
    std::chrono::nanoseconds stall_at{0};
    std::chrono::nanoseconds stall_for{0};
};

// The stall of FaultSettings, shared by every connection of the server. Its clock starts at
// the first request that faults apply to (not /health), so a load run's schedule and the
// stall line up within a connect time. Thread-safe; the caller passes the time.
class StallWindow {
public:
    explicit StallWindow(const FaultSettings& settings) noexcept;

    // The first call fixes the window; later calls do nothing.
    void note_request(Clock_tp now) noexcept;
    // How long a response that is ready at `now` must still wait: until the window's end
    // when `now` falls inside it, zero otherwise (and always zero without a stall).
    std::chrono::nanoseconds hold(Clock_tp now) const noexcept;

private:
    static constexpr std::int64_t kNotStarted = INT64_MIN;
    std::chrono::nanoseconds at_, length_;
    std::atomic<std::int64_t> first_request_ns_{kNotStarted};  // steady clock, since its epoch
};

// The fault draws of one connection. Each connection gets its own stream (seeded from the
// run seed and the connection's number), so a connection's sequence of delays and errors is
// reproducible whatever the other connections do. Not thread-safe: one per connection.
class ResponseFaults {
public:
    // `stall`: the server's shared stall window; null for none.
    ResponseFaults(const FaultSettings& settings, std::uint64_t stream_id, StallWindow* stall = nullptr) noexcept;

    // latency ± uniform jitter, never negative.
    std::chrono::nanoseconds next_delay() noexcept;
    // true with probability error_rate.
    bool next_error() noexcept;
    // A request that faults apply to has arrived at `now` (starts the stall's clock).
    void note_request(Clock_tp now) noexcept {
        if (stall_ != nullptr) stall_->note_request(now);
    }
    // How long a response ready at `now` is held by the stall (StallWindow::hold).
    std::chrono::nanoseconds stall_hold(Clock_tp now) const noexcept {
        return stall_ != nullptr ? stall_->hold(now) : std::chrono::nanoseconds::zero();
    }

private:
    std::uint64_t next_u64() noexcept;
    double next_unit() noexcept;  // uniform in [0, 1)

    FaultSettings settings_;
    std::uint64_t state_;
    StallWindow* stall_;
};

}  // namespace faultline::demo
