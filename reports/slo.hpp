#pragma once
// What a run must achieve (`slo:` in a scenario) and when it must stop early (`abort:`).
// Plain values: the loader fills them, reports/thresholds.cpp evaluates them, the result
// JSON carries them so a saved result can be re-evaluated (report html, merge).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace faultline {

// One latency percentile limit: `p95: 100ms` -> {"p95", 95.0, 100ms}.
struct LatencyLimit {
    std::string key;          // as written: "p50", "p95", "p99", "p99.9", "p999" or "max"
    double percentile = 99;   // 0..100; 100 for "max"
    Duration limit{0};        // corrected latency must be at most this
};

struct StepSlo {
    std::string step;                   // a step name of the scenario
    std::vector<LatencyLimit> latency;  // in file order
    std::optional<double> error_rate;   // fraction, at most
};

struct SloSpec {
    std::vector<LatencyLimit> latency;        // whole run, in file order
    std::optional<double> error_rate;         // fraction (0.001 for "0.1%"), at most
    std::optional<double> availability;       // fraction of healthy intervals, at least
    std::optional<Duration> recovery_time;    // per fault window, at most
    int recovery_intervals = 5;               // K: consecutive healthy intervals = recovered
    std::optional<std::uint64_t> errors;      // failed requests, at most
    std::optional<double> throughput_per_s;   // achieved completions per second, at least
    std::vector<StepSlo> steps;               // in file order

    bool has_health_limits() const noexcept { return !latency.empty() || error_rate.has_value(); }
};

// `abort: { when: [error_rate, latency.p99], for: 10s }`: stop when every interval for
// `for` in a row violates at least one named limit of `slo`.
struct AbortSpec {
    std::vector<std::string> when;  // "error_rate" or "latency.<key>" naming a global slo limit
    Duration for_duration{0};
};

}  // namespace faultline
