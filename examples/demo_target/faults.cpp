#include "examples/demo_target/faults.hpp"

#include <algorithm>

namespace faultline::demo {

namespace {

// SplitMix64 (Steele, Lea, Flood 2014): tiny state, good enough for fault draws, and
// cheap to seed per connection.
std::uint64_t mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

StallWindow::StallWindow(const FaultSettings& settings) noexcept
    : at_(settings.stall_at), length_(settings.stall_for) {}

void StallWindow::note_request(Clock_tp now) noexcept {
    if (length_ <= std::chrono::nanoseconds::zero()) return;
    std::int64_t expected = kNotStarted;
    first_request_ns_.compare_exchange_strong(expected, now.time_since_epoch().count(), std::memory_order_relaxed);
}

std::chrono::nanoseconds StallWindow::hold(Clock_tp now) const noexcept {
    const std::int64_t first = first_request_ns_.load(std::memory_order_relaxed);
    if (first == kNotStarted) return std::chrono::nanoseconds::zero();
    const Clock_tp start = Clock_tp(std::chrono::nanoseconds(first)) + at_;
    const Clock_tp end = start + length_;
    if (now < start || now >= end) return std::chrono::nanoseconds::zero();
    return end - now;
}

ResponseFaults::ResponseFaults(const FaultSettings& settings, std::uint64_t stream_id, StallWindow* stall) noexcept
    : settings_(settings), state_(mix(settings.seed) ^ mix(stream_id + 0x9e3779b97f4a7c15ULL)), stall_(stall) {}

std::uint64_t ResponseFaults::next_u64() noexcept {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix(state_);
}

double ResponseFaults::next_unit() noexcept {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

std::chrono::nanoseconds ResponseFaults::next_delay() noexcept {
    const auto jitter = settings_.jitter.count();
    if (jitter <= 0) return std::max(settings_.latency, std::chrono::nanoseconds::zero());
    // Offset uniform in [-jitter, +jitter]: span is 2*jitter+1 values.
    const auto span = static_cast<std::uint64_t>(jitter) * 2 + 1;
    const auto offset = static_cast<std::int64_t>(next_u64() % span) - jitter;
    return std::max(settings_.latency + std::chrono::nanoseconds(offset), std::chrono::nanoseconds::zero());
}

bool ResponseFaults::next_error() noexcept {
    if (settings_.error_rate <= 0.0) return false;
    if (settings_.error_rate >= 1.0) return true;
    return next_unit() < settings_.error_rate;
}

}  // namespace faultline::demo
