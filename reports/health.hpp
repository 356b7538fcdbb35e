#pragma once
// Whether one interval of a run was healthy (docs/recovery.md, "Healthy intervals").
// Pure: takes the intervals and the SLO as values, never a clock.
//
// An interval is healthy when it got at least one HTTP response and every global health
// limit holds in it: the `slo:` latency limits and error-rate limit (per-step limits do not
// count), or, when the SLO sets neither, the fallback rule
//     P99 <= 2 x baseline   and   error rate <= 1 %
// where baseline is the median interval P99 before the first fault (see health_rule()).
#include <optional>
#include <vector>

#include "common/clock.hpp"
#include "reports/fault_window.hpp"
#include "reports/run_result.hpp"
#include "reports/slo.hpp"

namespace faultline {

inline constexpr double kFallbackErrorRate = 0.01;
inline constexpr double kFallbackP99Factor = 2.0;

// The limits one interval is judged by.
struct HealthRule {
    std::vector<LatencyLimit> latency;   // corrected latency, at most
    std::optional<double> error_rate;    // fraction, at most
    // Fallback only: the baseline median P99 (ms) and the derived limit (2x); unset when no
    // interval before the first fault got a response, and the P99 criterion is skipped.
    std::optional<double> baseline_p99_ms;
    std::optional<double> p99_limit_ms;
    bool fallback = false;
};

// The rule for a run. With SLO latency or error-rate limits it is exactly those. Otherwise
// the fallback: baseline = median P99 over the intervals that got a response and lie wholly
// before the earliest scheduled fault start (all intervals when there are no windows).
HealthRule health_rule(const SloSpec& slo, const std::vector<IntervalResult>& intervals, Duration interval,
                       const std::vector<FaultWindow>& windows);

// An interval without a response is never healthy.
bool is_healthy(const IntervalResult& i, const HealthRule& rule);
std::vector<bool> healthy_intervals(const std::vector<IntervalResult>& intervals, const HealthRule& rule);

// The corrected latency at `percentile` (0..100; 100 = max) in ms. p50/p95/p99/max come
// from the interval's fields; any other percentile decodes its `hdr`. Throws
// std::invalid_argument when that is needed and the interval has no hdr, HdrDecodeError when
// the hdr is malformed.
double interval_percentile_ms(const IntervalResult& i, double percentile);

// The median; the mean of the two middle values for an even count. Requires !values.empty().
double median(std::vector<double> values);

// Whether value_ms is within a latency limit: compared in whole microseconds (the
// resolution of every latency figure), so 100.000 ms meets a 100ms limit exactly.
bool within_latency_limit(double value_ms, Duration limit) noexcept;

// Whether a fraction is within an at-most limit, allowing for the rounding of stored rates.
bool within_rate_limit(double value, double limit) noexcept;

}  // namespace faultline
