#pragma once
// The frontend's circuit breaker as a pure state machine: every call takes the current time,
// nothing reads a clock, so the unit tests drive it with exact time points. Not thread-safe
// (FrontendState locks around it).
//
//                consecutive failures reach failure_threshold
//     ┌────────┐ ───────────────────────────────────────────► ┌──────┐
//     │ CLOSED │                                               │ OPEN │ ◄─┐ every try_acquire
//     └────────┘ ◄─────────┐                                   └──────┘   │ is rejected
//         ▲                │ the probe succeeds                    │ open_duration after opening,
//         │ success resets │                                       │ the next try_acquire becomes
//         │ the count      │        ┌───────────┐                  │ the one probe
//                          └─────── │ HALF-OPEN │ ◄────────────────┘
//                                   └───────────┘ ── the probe fails ──► OPEN (the clock restarts)
//                                   other calls are rejected while the probe is out
//
// Only results of calls admitted in the current state count: each permit carries the
// breaker's generation (bumped on every transition), so a slow call admitted while closed
// cannot re-open a breaker that a probe has just closed, and a late success cannot close an
// open one.
#include <cstdint>

#include "common/clock.hpp"

namespace faultline::demo {

enum class BreakerState { closed, open, half_open };

const char* to_string(BreakerState state) noexcept;  // "closed", "open", "half-open"

struct BreakerSettings {
    unsigned failure_threshold = 5;              // consecutive failures that open it; >= 1
    Duration open_duration = std::chrono::seconds(2);  // time in OPEN before a probe may go
};

// What try_acquire hands out. A call that was allowed must end in exactly one of
// on_success, on_failure or on_abandoned.
struct BreakerPermit {
    bool allowed = false;
    bool probe = false;  // the half-open trial call
    std::uint64_t generation = 0;
};

class CircuitBreaker {
public:
    explicit CircuitBreaker(BreakerSettings settings) noexcept;

    // Closed: allowed. Open: rejected until open_duration has passed since opening; then the
    // breaker turns half-open and this call is the probe. Half-open: rejected while the probe
    // is out, otherwise this call becomes the next probe.
    BreakerPermit try_acquire(Clock_tp now) noexcept;

    void on_success(const BreakerPermit& permit, Clock_tp now) noexcept;
    void on_failure(const BreakerPermit& permit, Clock_tp now) noexcept;
    // The call ended without an outcome (cancelled): a probe slot is given back, nothing counts.
    void on_abandoned(const BreakerPermit& permit) noexcept;

    // The state as try_acquire would see it at `now` (OPEN past open_duration reads HALF-OPEN).
    BreakerState state(Clock_tp now) const noexcept;
    unsigned consecutive_failures() const noexcept { return failures_; }
    std::uint64_t times_opened() const noexcept { return times_opened_; }

private:
    void transition(BreakerState next, Clock_tp now) noexcept;
    bool current(const BreakerPermit& permit) const noexcept { return permit.generation == generation_; }

    BreakerSettings settings_;
    BreakerState state_ = BreakerState::closed;
    unsigned failures_ = 0;
    bool probe_out_ = false;
    Clock_tp opened_at_{};
    std::uint64_t generation_ = 0;
    std::uint64_t times_opened_ = 0;
};

}  // namespace faultline::demo
