#pragma once
// Time to impact and recovery time of each fault window (docs/recovery.md). Pure: takes the
// run's intervals and their health as values; the tests drive it with hand-made intervals.
//
// Intervals are [t_s, t_s + interval). For a window [start, end] (scheduled times):
//
//   interval  |  0  |  1  |  2  |  3  |  4  |  5  |  6  |  7  |  8  |
//   healthy      +     +     -     -     +     -     +     +     +      (K = 3)
//   window              [start=1.5 ............ end=4.0]
//   impact               ^ interval 1 holds start, first unhealthy is 2: 2 - 1.5 = 0.5 s
//   recovery                                  ^ 4 starts the scan: 4 is healthy but 5 is
//                                               not; 6,7,8 are K healthy: 6 - 4.0 = 2.0 s
#include <vector>

#include "common/clock.hpp"
#include "reports/fault_window.hpp"
#include "reports/run_result.hpp"

namespace faultline {

inline constexpr int kDefaultRecoveryIntervals = 5;

// One FaultImpact per window, in the windows' order. `healthy` is parallel to `intervals`
// (healthy_intervals()); `interval` is their length; k >= 1 (smaller values count as 1).
//  - time_to_impact_s: max(0, t - start) for the first unhealthy interval among those from
//    the one holding start to the last one beginning before end; unset when none is.
//  - recovery_time_s: t - end for the first interval with t >= end that begins k healthy
//    intervals in a row; unset (recovered = false) when the run ends first.
//  - worst_p99_ms / worst_error_rate: maxima from the interval holding start up to, not
//    including, the recovery point (to the run's end when not recovered).
std::vector<FaultImpact> analyse_fault_windows(const std::vector<IntervalResult>& intervals,
                                               const std::vector<bool>& healthy, Duration interval,
                                               const std::vector<FaultWindow>& windows, int k);

}  // namespace faultline
