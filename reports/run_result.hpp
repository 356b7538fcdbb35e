#pragma once
// The outcome of a whole run: the workers' recorders merged, plus what the run was asked
// to do. This is what every report (summary, JSON) is made from. Field meanings and units
// are those of docs/result-schema.md.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reports/fault_window.hpp"
#include "reports/histogram.hpp"
#include "reports/outcome.hpp"
#include "reports/run_recorder.hpp"
#include "reports/slo.hpp"
#include "reports/status_counts.hpp"

namespace faultline {

// Describes the run for reports: what was asked, not what happened.
struct RunInfo {
    std::string scenario;  // the scenario's name ("adhoc" for --url runs)
    std::string url;
    std::string method = "GET";
    bool open_model = true;
    double asked_rate_per_s = 0;  // open model
    int vus = 0;                  // closed model
    int connections = 0;
    int threads = 1;
    Duration interval = std::chrono::seconds(1);
    std::optional<Duration> asked_duration;
    std::optional<std::uint64_t> asked_requests;
};

// Which part of a load spread over several processes a result holds (docs/distributed.md):
// shard `index` (0-based) of `count`. count 1 is a whole, unsharded run.
struct ShardId {
    unsigned index = 0;
    unsigned count = 1;
    bool operator==(const ShardId&) const = default;
};

struct LatencyStatsMs {
    double min = 0, mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0;
};
LatencyStatsMs latency_stats_ms(const Histogram& us);

struct IntervalResult {
    double t_s = 0;  // interval start, seconds from the origin
    std::uint64_t requests = 0;
    std::uint64_t responses = 0;  // requests intended in this interval that got an HTTP response
    std::vector<std::pair<int, std::uint64_t>> status_codes;
    OutcomeCounts errors;
    double error_rate = 0;
    double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
    std::string hdr;  // base64 compressed V2, corrected latency in us
};

struct StepResult;

struct RunResult {
    RunInfo info;
    std::int64_t start_unix_ms = 0;
    ShardId shard;                // top-level result only
    std::string scenario_sha256;  // hex SHA-256 of the scenario file (of the request, --url); top-level only
    double duration_s = 0;
    std::uint64_t requests = 0;   // issued (sent or queued); dropped arrivals are not requests
    std::uint64_t completed = 0;  // issued requests that ended, in any class
    std::uint64_t responses = 0;  // requests that got an HTTP response
    double rps = 0;               // completions per second of duration_s
    std::vector<std::pair<int, std::uint64_t>> status_codes;
    OutcomeCounts errors;
    double error_rate = 0;
    std::uint64_t saturated = 0;
    Histogram latency = Histogram::latency_us();
    Histogram service_time = Histogram::latency_us();
    Histogram send_lag = Histogram::latency_us();
    Histogram loop_lag = Histogram::latency_us();
    double generator_cpu_pct = 0;
    // A generator warning fired (CPU, send lag or loop lag): the figures describe faultline
    // as much as the target. Set by add_generator_warnings; `report merge` ORs the shards'.
    bool generator_bottleneck = false;
    std::vector<std::string> warnings;
    std::vector<IntervalResult> intervals;
    bool interrupted = false;
    // Why nothing got a response, when nothing did (empty otherwise).
    std::string no_response_reason;
    std::vector<StepResult> steps;               // scenario steps, in flow order
    std::shared_ptr<const RunResult> warmup;     // figures of the warm-up, apart; null without one

    // Chaos and verdicts (top-level result only; empty in steps and warm-up).
    SloSpec slo;                                 // what was asked, kept so a saved result can be re-evaluated
    std::vector<FaultImpact> faults;             // one per fault window, in schedule order
    std::vector<ThresholdResult> thresholds;     // evaluated limits, in a fixed order (docs/recovery.md)
    bool aborted = false;                        // the `abort:` safety stop ended the run
    std::string abort_reason;                    // which limits, since when (empty unless aborted)
    std::vector<std::string> service_logs;       // paths of the services' output logs
};

// One scenario step's figures: the same statistics as the totals, plus failed checks.
struct StepResult {
    std::string name;
    RunResult stats;
    std::uint64_t checks_status = 0, checks_body_contains = 0, checks_json = 0, checks_latency = 0;
};

struct MergeInputs {
    RunInfo info;
    Clock_tp origin;
    std::int64_t start_unix_ms = 0;
    Duration cpu_time{};
    Duration wall_time{};  // for CPU %: from the workers' start to their end
    bool interrupted = false;
};

// Merges the workers' recorders (their interval series must be closed). Intervals are
// aligned by index and added as histograms, so merged percentiles are exact.
RunResult merge_recorders(std::vector<RunRecorder*> recorders, const MergeInputs& in);

}  // namespace faultline

namespace faultline {
// The thresholds of add_generator_warnings (docs/measurement.md "Self-monitoring").
inline constexpr double kBottleneckCpuPctPerThread = 90.0;
inline constexpr double kBottleneckSendLagP99Ms = 5.0;
inline constexpr double kBottleneckLoopLagP99Ms = 5.0;

// Warnings that say the generator, not the target, limited the run: CPU near saturation,
// the schedule's sends running late, its event loops running late, arrivals dropped,
// latencies clamped. Appends to r.warnings; sets r.generator_bottleneck when one of the
// first three (the generator's own limits) fired.
void add_generator_warnings(RunResult& r);
}  // namespace faultline
