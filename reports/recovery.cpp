#include "reports/recovery.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace faultline {
namespace {

constexpr double kTimeEps = 1e-9;

// The first interval whose end lies after t: the one holding t, or the first one after it.
std::size_t first_ending_after(const std::vector<IntervalResult>& intervals, double interval_s, double t) {
    std::size_t i = 0;
    while (i < intervals.size() && intervals[i].t_s + interval_s <= t + kTimeEps) ++i;
    return i;
}

std::size_t first_starting_at_or_after(const std::vector<IntervalResult>& intervals, double t) {
    std::size_t i = 0;
    while (i < intervals.size() && intervals[i].t_s < t - kTimeEps) ++i;
    return i;
}

// The first index >= from that begins k healthy intervals in a row; size() when none does.
std::size_t first_healthy_run(const std::vector<bool>& healthy, std::size_t from, std::size_t k) {
    std::size_t run = 0;
    for (std::size_t i = from; i < healthy.size(); ++i) {
        run = healthy[i] ? run + 1 : 0;
        if (run == k) return i + 1 - k;
    }
    return healthy.size();
}

FaultImpact analyse_window(const std::vector<IntervalResult>& intervals, const std::vector<bool>& healthy,
                           double interval_s, const FaultWindow& w, std::size_t k) {
    FaultImpact f;
    f.window = w;
    const std::size_t first = first_ending_after(intervals, interval_s, w.start_s);
    for (std::size_t i = first; i < intervals.size() && intervals[i].t_s < w.end_s - kTimeEps; ++i) {
        if (!healthy[i]) {
            f.time_to_impact_s = std::max(0.0, intervals[i].t_s - w.start_s);
            break;
        }
    }
    const std::size_t rec = first_healthy_run(healthy, first_starting_at_or_after(intervals, w.end_s), k);
    if (rec < intervals.size()) {
        f.recovered = true;
        f.recovery_time_s = intervals[rec].t_s - w.end_s;
    }
    for (std::size_t i = first; i < rec; ++i) {
        f.worst_p99_ms = std::max(f.worst_p99_ms, intervals[i].p99_ms);
        f.worst_error_rate = std::max(f.worst_error_rate, intervals[i].error_rate);
    }
    return f;
}

}  // namespace

std::vector<FaultImpact> analyse_fault_windows(const std::vector<IntervalResult>& intervals,
                                               const std::vector<bool>& healthy, Duration interval,
                                               const std::vector<FaultWindow>& windows, int k) {
    if (healthy.size() != intervals.size())
        throw std::invalid_argument("analyse_fault_windows: one health flag per interval is needed");
    const double interval_s = std::chrono::duration<double>(interval).count();
    const auto run_length = static_cast<std::size_t>(std::max(1, k));
    std::vector<FaultImpact> out;
    out.reserve(windows.size());
    for (const auto& w : windows) out.push_back(analyse_window(intervals, healthy, interval_s, w, run_length));
    return out;
}

}  // namespace faultline
