#pragma once
// PURE: several result files (the shards of one distributed run, docs/distributed.md) as
// one result, exactly: counts are summed and histograms added (totals, service time, lags,
// every step, every interval), never percentiles averaged, so the merged P99 is the P99 of
// the union of all requests.
//
// Intervals are aligned on the wall clock: interval j of an input starting at S covers
// [S + j*interval, ...), and the merged origin is the earliest S. Inputs must share the
// interval length; their starts must differ by whole intervals (equal with --start-at).
//
// The verdict is not computed here: the caller runs apply_verdicts(result, windows) on the
// merged data, so thresholds and recovery times are those of the whole load.
#include <string>
#include <vector>

#include "reports/fault_window.hpp"
#include "reports/run_result.hpp"

namespace faultline {

struct NamedResult {
    std::string name;  // the file name, for messages
    RunResult result;
};

struct MergeOptions {
    // Merge different scenarios (scenario_sha256), mismatched shard sets and starts that are
    // not a whole number of intervals apart (rounded to the nearest interval) anyway, each
    // with a warning in the result. Mixed interval lengths are refused even so.
    bool force = false;
};

struct MergeOutcome {
    RunResult result;                  // valid when errors is empty
    std::vector<FaultWindow> windows;  // to analyse, in seconds from the merged origin
    std::vector<std::string> errors;   // why the inputs cannot be merged; nothing merged then
    bool ok() const noexcept { return errors.empty(); }
};

// `faults`: a `--faults-only` result whose windows are analysed (null: the inputs' own
// windows, used when every input carries the same ones). Every message names the file.
MergeOutcome merge_results(const std::vector<NamedResult>& inputs, const NamedResult* faults, const MergeOptions& options);

}  // namespace faultline
