#pragma once
// Fault windows as reports see them, and what the analysis found for each (docs/recovery.md).
#include <optional>
#include <string>
#include <vector>

namespace faultline {

// One scheduled fault, in seconds from the run's origin (the first intended send after
// warm-up). start_s/end_s are the scheduled times, which the analysis uses; applied_* are
// when the fault really started and stopped (within max(10 ms, 1%) of the schedule).
struct FaultWindow {
    std::vector<std::string> proxies;  // empty for service faults
    std::string service;               // empty for proxy faults
    std::string type;                  // toxic type, or partition, disabled, pause, kill, restart
    double start_s = 0;
    double end_s = 0;
    std::optional<double> applied_start_s;  // unset when it never started (run ended first)
    std::optional<double> applied_end_s;
};

struct FaultImpact {
    FaultWindow window;
    std::optional<double> time_to_impact_s;  // null: no unhealthy interval during the window
    std::optional<double> recovery_time_s;   // null: not recovered before the run ended
    bool recovered = false;
    double worst_p99_ms = 0;      // over the window and its recovery (to the run's end if none)
    double worst_error_rate = 0;
};

// One evaluated threshold: `{name, limit, value, unit, ok}` in the result JSON.
struct ThresholdResult {
    std::string name;             // "latency.p99", "error_rate", "steps.login.latency.p95", "recovery_time.0"
    std::optional<double> limit;  // in `unit`
    std::optional<double> value;  // in `unit`; null when there is nothing to measure
    std::string unit;             // "ms", "fraction", "s", "per_s", "count"
    bool ok = false;
};

}  // namespace faultline
