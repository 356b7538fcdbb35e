#include "reports/thresholds.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "reports/health.hpp"
#include "reports/recovery.hpp"

namespace faultline {
namespace {

double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

ThresholdResult latency_threshold(std::string name, const Histogram& latency_us, const LatencyLimit& l) {
    ThresholdResult t{std::move(name), to_ms(l.limit), std::nullopt, "ms", false};
    if (latency_us.total_count() == 0) return t;
    const auto us = l.percentile >= 100 ? latency_us.max() : latency_us.value_at_percentile(l.percentile);
    t.value = static_cast<double>(us) / 1000.0;
    t.ok = within_latency_limit(*t.value, l.limit);
    return t;
}

ThresholdResult at_most(std::string name, double limit, std::optional<double> value, std::string unit) {
    ThresholdResult t{std::move(name), limit, value, std::move(unit), false};
    t.ok = value && within_rate_limit(*value, limit);
    return t;
}

void add_step_thresholds(std::vector<ThresholdResult>& out, const RunResult& r, const StepSlo& s) {
    const auto it = std::find_if(r.steps.begin(), r.steps.end(), [&](const StepResult& x) { return x.name == s.step; });
    const RunResult* stats = it == r.steps.end() ? nullptr : &it->stats;
    const Histogram empty = Histogram::latency_us();
    for (const auto& l : s.latency)
        out.push_back(latency_threshold(fmt::format("steps.{}.latency.{}", s.step, l.key),
                                        stats ? stats->latency : empty, l));
    if (s.error_rate)
        out.push_back(at_most(fmt::format("steps.{}.error_rate", s.step), *s.error_rate,
                              stats ? std::optional<double>(stats->error_rate) : std::nullopt, "fraction"));
}

}  // namespace

std::vector<ThresholdResult> evaluate_thresholds(const RunResult& r, const std::vector<FaultImpact>& faults,
                                                 const std::vector<bool>& healthy) {
    const SloSpec& slo = r.slo;
    std::vector<ThresholdResult> out;
    for (const auto& l : slo.latency) out.push_back(latency_threshold("latency." + l.key, r.latency, l));
    if (slo.error_rate) out.push_back(at_most("error_rate", *slo.error_rate, r.error_rate, "fraction"));
    if (slo.errors) {
        const auto failed = static_cast<double>(r.errors.failures());
        out.push_back(at_most("errors", static_cast<double>(*slo.errors), failed, "count"));
    }
    if (slo.throughput_per_s)
        out.push_back({"throughput", *slo.throughput_per_s, r.rps, "per_s", r.rps >= *slo.throughput_per_s - 1e-9});
    if (slo.availability) {
        ThresholdResult t{"availability", *slo.availability, std::nullopt, "fraction", false};
        if (!healthy.empty()) {
            const auto n = std::count(healthy.begin(), healthy.end(), true);
            t.value = static_cast<double>(n) / static_cast<double>(healthy.size());
            t.ok = *t.value >= *slo.availability - 1e-12;
        }
        out.push_back(t);
    }
    for (const auto& s : slo.steps) add_step_thresholds(out, r, s);
    if (slo.recovery_time) {
        const double limit_s = std::chrono::duration<double>(*slo.recovery_time).count();
        for (std::size_t i = 0; i < faults.size(); ++i)
            out.push_back(at_most(fmt::format("recovery_time.{}", i), limit_s, faults[i].recovery_time_s, "s"));
    }
    return out;
}

void apply_verdicts(RunResult& r, const std::vector<FaultWindow>& windows) {
    const auto rule = health_rule(r.slo, r.intervals, r.info.interval, windows);
    const auto healthy = healthy_intervals(r.intervals, rule);
    r.faults = analyse_fault_windows(r.intervals, healthy, r.info.interval, windows, r.slo.recovery_intervals);
    r.thresholds = evaluate_thresholds(r, r.faults, healthy);
}

bool passed(const RunResult& r) noexcept {
    return !r.aborted && std::all_of(r.thresholds.begin(), r.thresholds.end(), [](const auto& t) { return t.ok; });
}

}  // namespace faultline
