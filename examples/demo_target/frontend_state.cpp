#include "examples/demo_target/frontend_state.hpp"

namespace faultline::demo {

FrontendState::FrontendState(const FrontendSettings& s, Clock_tp origin) : bulkhead_limit_(s.bulkhead) {
    if (s.breaker) breaker_.emplace(BreakerSettings{s.breaker_failures, s.breaker_open});
    if (s.retries > 0) budget_.emplace(RetryBudgetSettings{s.retry_budget, s.retry_window}, origin);
    if (s.rate_limit > 0) limiter_.emplace(RateLimitSettings{s.rate_limit, s.rate_window}, origin);
    if (s.stale_cache) cache_.emplace(kStaleCacheCapacity);
}

RateDecision FrontendState::admit_rate(Clock_tp now) {
    const std::lock_guard lock(mutex_);
    if (!limiter_) return {};
    const auto decision = limiter_->try_acquire(now);
    if (!decision.allowed) ++counters_.rate_limited;
    return decision;
}

void FrontendState::count_unauthorized() {
    const std::lock_guard lock(mutex_);
    ++counters_.unauthorized;
}

bool FrontendState::enter_bulkhead() {
    const std::lock_guard lock(mutex_);
    if (bulkhead_limit_ > 0 && in_flight_ >= bulkhead_limit_) {
        ++counters_.rejected_bulkhead;
        return false;
    }
    ++in_flight_;
    return true;
}

void FrontendState::leave_bulkhead() {
    const std::lock_guard lock(mutex_);
    --in_flight_;
}

void FrontendState::on_request(Clock_tp now) {
    const std::lock_guard lock(mutex_);
    ++counters_.requests;
    if (budget_) budget_->on_request(now);
}

bool FrontendState::try_retry(Clock_tp now) {
    const std::lock_guard lock(mutex_);
    const bool ok = budget_ && budget_->try_retry(now);
    ++(ok ? counters_.retries : counters_.retries_denied);
    return ok;
}

BreakerPermit FrontendState::acquire_breaker(Clock_tp now) {
    const std::lock_guard lock(mutex_);
    if (!breaker_) return {true, false, 0};
    auto permit = breaker_->try_acquire(now);
    if (!permit.allowed) ++counters_.rejected_breaker;
    return permit;
}

void FrontendState::record_attempt(const BreakerPermit& permit, bool ok, std::optional<Failure> failure, Clock_tp now) {
    const std::lock_guard lock(mutex_);
    ++counters_.attempts;
    if (ok) ++counters_.successes;
    else if (failure == Failure::timeout) ++counters_.timeouts;
    else if (failure == Failure::backend_error) ++counters_.backend_errors;
    else if (failure) ++counters_.unreachable;
    if (!breaker_) return;
    if (ok) breaker_->on_success(permit, now);
    else if (failure) breaker_->on_failure(permit, now);
    else breaker_->on_abandoned(permit);
}

void FrontendState::remember(std::string_view key, const std::string& body, const std::string& content_type,
                             Clock_tp now) {
    const std::lock_guard lock(mutex_);
    if (cache_) cache_->put(key, body, content_type, now);
}

void FrontendState::forget(std::string_view key) {
    const std::lock_guard lock(mutex_);
    if (cache_) cache_->erase(key);
}

std::optional<CachedValue> FrontendState::stale_for(std::string_view key, Clock_tp now) {
    const std::lock_guard lock(mutex_);
    if (!cache_) return std::nullopt;
    auto value = cache_->get(key, now);
    if (value) ++counters_.stale_served;
    return value;
}

bool FrontendState::breaker_admits(Clock_tp now) const {
    const std::lock_guard lock(mutex_);
    return !breaker_ || breaker_->state(now) == BreakerState::closed;
}

boost::json::object FrontendState::stats(Clock_tp now) const {
    const std::lock_guard lock(mutex_);
    const Counters& c = counters_;
    boost::json::object out{
        {"requests", c.requests},         {"attempts", c.attempts},
        {"retries", c.retries},           {"retries_denied", c.retries_denied},
        {"successes", c.successes},       {"timeouts", c.timeouts},
        {"unreachable", c.unreachable},   {"backend_errors", c.backend_errors},
        {"rejected_breaker", c.rejected_breaker}, {"rejected_bulkhead", c.rejected_bulkhead},
        {"stale_served", c.stale_served}, {"rate_limited", c.rate_limited},
        {"unauthorized", c.unauthorized}, {"in_flight", in_flight_},
    };
    out["breaker"] = breaker_ ? to_string(breaker_->state(now)) : "disabled";
    out["breaker_opened"] = breaker_ ? breaker_->times_opened() : 0;
    out["stale_entries"] = cache_ ? cache_->size() : 0;
    return out;
}

}  // namespace faultline::demo
