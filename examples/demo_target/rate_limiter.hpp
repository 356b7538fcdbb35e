#pragma once
// The frontend's rate limiter: at most `limit` requests per fixed window, for the whole
// server. Windows are aligned to `origin` (server start): window k is
// [origin + k*window, origin + (k+1)*window). Pure: callers pass the time; not thread-safe
// (FrontendState locks around it).
#include <cstdint>

#include "common/clock.hpp"

namespace faultline::demo {

struct RateLimitSettings {
    std::uint64_t limit = 0;                          // requests per window; > 0
    Duration window = std::chrono::seconds(1);        // > 0
};

struct RateDecision {
    bool allowed = true;
    Duration retry_after{0};  // when rejected: time until the current window ends (> 0)
};

class FixedWindowLimiter {
public:
    FixedWindowLimiter(RateLimitSettings settings, Clock_tp origin) noexcept;

    // Counts the request if it fits in the current window.
    RateDecision try_acquire(Clock_tp now) noexcept;

private:
    RateLimitSettings settings_;
    Clock_tp origin_;
    std::int64_t window_index_ = 0;
    std::uint64_t used_ = 0;
};

// Retry-After is in whole seconds: `retry_after` rounded up, at least 1.
std::uint64_t retry_after_seconds(Duration retry_after) noexcept;

}  // namespace faultline::demo
