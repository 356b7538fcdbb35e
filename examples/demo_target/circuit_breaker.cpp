#include "examples/demo_target/circuit_breaker.hpp"

namespace faultline::demo {

const char* to_string(BreakerState state) noexcept {
    switch (state) {
    case BreakerState::closed: return "closed";
    case BreakerState::open: return "open";
    case BreakerState::half_open: return "half-open";
    }
    return "?";
}

CircuitBreaker::CircuitBreaker(BreakerSettings settings) noexcept : settings_(settings) {
    if (settings_.failure_threshold == 0) settings_.failure_threshold = 1;
}

void CircuitBreaker::transition(BreakerState next, Clock_tp now) noexcept {
    state_ = next;
    ++generation_;
    failures_ = 0;
    probe_out_ = false;
    if (next == BreakerState::open) {
        opened_at_ = now;
        ++times_opened_;
    }
}

BreakerPermit CircuitBreaker::try_acquire(Clock_tp now) noexcept {
    if (state_ == BreakerState::open && now - opened_at_ >= settings_.open_duration)
        transition(BreakerState::half_open, now);
    switch (state_) {
    case BreakerState::closed: return {true, false, generation_};
    case BreakerState::open: return {false, false, generation_};
    case BreakerState::half_open:
        if (probe_out_) return {false, false, generation_};
        probe_out_ = true;
        return {true, true, generation_};
    }
    return {};
}

void CircuitBreaker::on_success(const BreakerPermit& permit, Clock_tp now) noexcept {
    if (!permit.allowed || !current(permit)) return;
    if (state_ == BreakerState::closed) failures_ = 0;
    else if (state_ == BreakerState::half_open && permit.probe) transition(BreakerState::closed, now);
}

void CircuitBreaker::on_failure(const BreakerPermit& permit, Clock_tp now) noexcept {
    if (!permit.allowed || !current(permit)) return;
    if (state_ == BreakerState::closed) {
        if (++failures_ >= settings_.failure_threshold) transition(BreakerState::open, now);
    } else if (state_ == BreakerState::half_open && permit.probe) {
        transition(BreakerState::open, now);
    }
}

void CircuitBreaker::on_abandoned(const BreakerPermit& permit) noexcept {
    if (permit.allowed && permit.probe && current(permit)) probe_out_ = false;
}

BreakerState CircuitBreaker::state(Clock_tp now) const noexcept {
    if (state_ == BreakerState::open && now - opened_at_ >= settings_.open_duration) return BreakerState::half_open;
    return state_;
}

}  // namespace faultline::demo
