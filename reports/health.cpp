#include "reports/health.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

#include "reports/hdr_codec.hpp"

namespace faultline {
namespace {

// Times are compared with this slack: t_s values are sums of doubles, or read back from a
// file with three decimals.
constexpr double kTimeEps = 1e-9;

double earliest_start_s(const std::vector<FaultWindow>& windows) {
    double s = windows.front().start_s;
    for (const auto& w : windows) s = std::min(s, w.start_s);
    return s;
}

}  // namespace

double median(std::vector<double> values) {
    const auto n = values.size();
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(values.begin(), mid, values.end());
    if (n % 2 == 1) return *mid;
    const double upper = *mid;
    const double lower = *std::max_element(values.begin(), mid);
    return (lower + upper) / 2.0;
}

bool within_latency_limit(double value_ms, Duration limit) noexcept {
    const auto value_us = std::llround(value_ms * 1000.0);
    return value_us <= std::chrono::duration_cast<std::chrono::microseconds>(limit).count();
}

bool within_rate_limit(double value, double limit) noexcept { return value <= limit + 1e-12; }

double interval_percentile_ms(const IntervalResult& i, double percentile) {
    if (percentile == 50) return i.p50_ms;
    if (percentile == 95) return i.p95_ms;
    if (percentile == 99) return i.p99_ms;
    if (percentile >= 100) return i.max_ms;
    if (i.hdr.empty())
        throw std::invalid_argument(
            fmt::format("interval at t={:g}s has no hdr to compute the {:g}th percentile", i.t_s, percentile));
    return static_cast<double>(decode_compressed_base64(i.hdr).value_at_percentile(percentile)) / 1000.0;
}

HealthRule health_rule(const SloSpec& slo, const std::vector<IntervalResult>& intervals, Duration interval,
                       const std::vector<FaultWindow>& windows) {
    HealthRule rule;
    if (slo.has_health_limits()) {
        rule.latency = slo.latency;
        rule.error_rate = slo.error_rate;
        return rule;
    }
    rule.fallback = true;
    rule.error_rate = kFallbackErrorRate;
    // The baseline must not see the fault: only intervals that end by the first start count,
    // so a fault starting mid-interval does not leak into it.
    const double interval_s = std::chrono::duration<double>(interval).count();
    const double cutoff = windows.empty() ? INFINITY : earliest_start_s(windows);
    std::vector<double> p99s;
    for (const auto& i : intervals)
        if (i.responses > 0 && i.t_s + interval_s <= cutoff + kTimeEps) p99s.push_back(i.p99_ms);
    if (!p99s.empty()) {
        rule.baseline_p99_ms = median(std::move(p99s));
        rule.p99_limit_ms = kFallbackP99Factor * *rule.baseline_p99_ms;
    }
    return rule;
}

bool is_healthy(const IntervalResult& i, const HealthRule& rule) {
    if (i.responses == 0) return false;
    if (rule.error_rate && !within_rate_limit(i.error_rate, *rule.error_rate)) return false;
    if (rule.p99_limit_ms && i.p99_ms > *rule.p99_limit_ms + 1e-9) return false;
    for (const auto& l : rule.latency)
        if (!within_latency_limit(interval_percentile_ms(i, l.percentile), l.limit)) return false;
    return true;
}

std::vector<bool> healthy_intervals(const std::vector<IntervalResult>& intervals, const HealthRule& rule) {
    std::vector<bool> out;
    out.reserve(intervals.size());
    for (const auto& i : intervals) out.push_back(is_healthy(i, rule));
    return out;
}

}  // namespace faultline
