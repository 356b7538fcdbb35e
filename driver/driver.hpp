#pragma once
// Runs a scenario: prepares it (resolve, TLS, static requests), starts one Worker per
// thread, stops them on SIGINT/SIGTERM (in-flight requests get 1 s), and merges their
// recorders into a RunResult with totals, per-step figures and the warm-up apart.
#include <atomic>
#include <functional>
#include <optional>
#include <stdexcept>

#include "driver/run_plan.hpp"
#include "reports/run_result.hpp"
#include "scenarios/run_spec.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

// What a live consumer may do to the running load.
class RunControl {
public:
    virtual ~RunControl() = default;
    // Stops issuing requests; in-flight ones get a short grace, then count as timeouts.
    virtual void stop() = 0;
};

// Callbacks into the run, all on the calling (control) thread, never on a worker thread.
struct RunHooks {
    // Once the schedule is fixed, before anything is sent: `origin` is the first intended
    // send after warm-up (what fault times count from).
    std::function<void(Clock_tp origin)> on_start;
    // Each interval once every worker has closed it (intended-time intervals close when no
    // request intended in them is outstanding, so this can lag by up to the timeout).
    std::function<void(const IntervalResult&, RunControl&)> on_interval;
    // About once a second, with the time since the origin (negative during warm-up).
    std::function<void(Duration since_origin, RunControl&)> on_tick;
};

struct RunSettings {
    int threads = 1;
    Duration interval = std::chrono::seconds(1);
    // This process's part of a load spread over several (docs/distributed.md): 1/N of the
    // arrivals, VUs, iterations, connections and pending-queue space, interleaved so the
    // union of all shards is the single-machine run.
    ShardId shard;
    // The origin (first intended send after warm-up) as ms since the Unix epoch, so that
    // several processes start together; the warm-up, if any, begins that much earlier.
    // Unset: a few ms after setup.
    std::optional<std::int64_t> origin_unix_ms;
    RunHooks hooks;
    // Set from another thread when the run must stop as on SIGINT (a signal seen by a
    // handler installed before the run's own); polled every 100 ms. May be null.
    const std::atomic<bool>* interrupt_flag = nullptr;
};

// A requested origin_unix_ms whose schedule (warm-up included) should have begun more than
// this long before the run could start is refused (StartMissed). Later by less, the run
// starts at once on the requested schedule: the missed arrivals go out immediately and
// their latency counts from their intended times.
inline constexpr Duration kMaxStartLateness = std::chrono::seconds(1);

// The requested start was missed by more than kMaxStartLateness; nothing was sent.
class StartMissed : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The steady-clock time of a Unix-epoch instant (ms), through the current offset between the
// two clocks (1 ms resolution; across machines, plus their clock skew).
Clock_tp steady_from_unix_ms(std::int64_t unix_ms);

// Blocks until the run is over. Throws SetupError before anything is sent when the run
// cannot start (a literal host does not resolve, the CA file is unreadable), StartMissed
// when settings.origin_unix_ms is too far in the past.
RunResult run_scenario(const Scenario& scenario, const RunSettings& settings);

// The ad-hoc `--url` mode as a one-step scenario, so both modes share one code path.
Scenario scenario_from_spec(const RunSpec& spec);

// run_scenario(scenario_from_spec(spec), ...).
RunResult run_load(const RunSpec& spec);

struct WorkerPlan;
// Splits connections (open), VUs and iterations (closed) and queue space across shards,
// then across this shard's workers (driver/shard_plan.hpp).
std::vector<WorkerPlan> plan_workers(const Scenario& scenario, int threads, ShardId shard = {});

}  // namespace faultline
