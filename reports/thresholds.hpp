#pragma once
// The verdict of a run: every `slo:` limit evaluated against the result, in a fixed order,
// and the fault windows' impact and recovery (docs/recovery.md). Pure: works on a RunResult
// that is already complete (or read back from a file), so a saved result can be
// re-evaluated.
#include <vector>

#include "reports/fault_window.hpp"
#include "reports/run_result.hpp"

namespace faultline {

// Thresholds of r.slo, in this order:
//   latency.<key> (file order), error_rate, errors, throughput, availability,
//   steps.<name>.latency.<key>, steps.<name>.error_rate (steps in file order),
//   recovery_time.<i> (only when slo.recovery_time is set; one per entry of `faults`).
// `healthy` is parallel to r.intervals (availability). Latency values are the corrected
// latency in ms, null when nothing got a response; a step the result does not have gives
// null values. A null value never passes.
std::vector<ThresholdResult> evaluate_thresholds(const RunResult& r, const std::vector<FaultImpact>& faults,
                                                 const std::vector<bool>& healthy);

// What the CLI calls after a run (and `report` after reading a result back): fills
// r.faults from the windows (scheduled times) and r.thresholds from r.slo, r.intervals and
// r.steps. Replaces whatever r.faults and r.thresholds held.
void apply_verdicts(RunResult& r, const std::vector<FaultWindow>& windows);

// Every threshold ok and the run not aborted. A run without thresholds passes.
bool passed(const RunResult& r) noexcept;

}  // namespace faultline
