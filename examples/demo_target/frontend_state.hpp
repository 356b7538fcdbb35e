#pragma once
// The frontend's shared resilience state: breaker, retry budget, rate limiter, stale cache,
// bulkhead count and the /stats counters, behind one mutex so --threads N works. Every
// method takes the time from the caller, so this stays testable without a clock. Each lock
// is held for a few arithmetic steps only, never across I/O. Features that are switched off
// always admit (and never count as rejections).
#include <boost/json/value.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "examples/demo_target/circuit_breaker.hpp"
#include "examples/demo_target/frontend_policy.hpp"
#include "examples/demo_target/frontend_settings.hpp"
#include "examples/demo_target/rate_limiter.hpp"
#include "examples/demo_target/retry_budget.hpp"
#include "examples/demo_target/stale_cache.hpp"

namespace faultline::demo {

class FrontendState {
public:
    static constexpr std::size_t kStaleCacheCapacity = 10000;

    FrontendState(const FrontendSettings& settings, Clock_tp origin);

    RateDecision admit_rate(Clock_tp now);
    void count_unauthorized();

    // Bulkhead: false (and counted) when --bulkhead calls are in flight already.
    bool enter_bulkhead();
    void leave_bulkhead();

    // A client request that goes to the backend (counts for the retry budget).
    void on_request(Clock_tp now);
    bool try_retry(Clock_tp now);

    BreakerPermit acquire_breaker(Clock_tp now);
    // One backend attempt ended: ok, a failure, or abandoned (cancelled) when `failure` is nullopt
    // and ok is false.
    void record_attempt(const BreakerPermit& permit, bool ok, std::optional<Failure> failure, Clock_tp now);

    void remember(std::string_view key, const std::string& body, const std::string& content_type, Clock_tp now);
    void forget(std::string_view key);
    // The stale copy for a failed request (nothing unless --stale-cache); counts a serve.
    std::optional<CachedValue> stale_for(std::string_view key, Clock_tp now);

    // HALF-OPEN or OPEN read as "not ready" for /ready; always ready without --breaker.
    bool breaker_admits(Clock_tp now) const;
    boost::json::object stats(Clock_tp now) const;

private:
    mutable std::mutex mutex_;
    unsigned bulkhead_limit_;
    unsigned in_flight_ = 0;
    std::optional<CircuitBreaker> breaker_;
    std::optional<RetryBudget> budget_;
    std::optional<FixedWindowLimiter> limiter_;
    std::optional<StaleCache> cache_;
    struct Counters {
        std::uint64_t requests = 0, attempts = 0, retries = 0, retries_denied = 0, successes = 0, timeouts = 0,
                      unreachable = 0, backend_errors = 0, rejected_breaker = 0, rejected_bulkhead = 0,
                      stale_served = 0, rate_limited = 0, unauthorized = 0;
    } counters_;
};

}  // namespace faultline::demo
