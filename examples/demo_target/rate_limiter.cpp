#include "examples/demo_target/rate_limiter.hpp"

#include <algorithm>

namespace faultline::demo {

FixedWindowLimiter::FixedWindowLimiter(RateLimitSettings settings, Clock_tp origin) noexcept
    : settings_(settings), origin_(origin) {
    if (settings_.window <= Duration::zero()) settings_.window = std::chrono::seconds(1);
}

RateDecision FixedWindowLimiter::try_acquire(Clock_tp now) noexcept {
    const Duration since = std::max(Duration::zero(), now - origin_);
    const std::int64_t index = since / settings_.window;
    if (index != window_index_) {
        window_index_ = index;
        used_ = 0;
    }
    if (used_ < settings_.limit) {
        ++used_;
        return {};
    }
    const Duration window_end = settings_.window * (index + 1);
    return {false, window_end - since};
}

std::uint64_t retry_after_seconds(Duration retry_after) noexcept {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(retry_after).count();
    return static_cast<std::uint64_t>(std::max<std::int64_t>(1, seconds));
}

}  // namespace faultline::demo
