#pragma once
// Runs a scenario: prepares it (resolve, TLS, static requests), starts one Worker per
// thread, stops them on SIGINT/SIGTERM (in-flight requests get 1 s), and merges their
// recorders into a RunResult with totals, per-step figures and the warm-up apart.
#include <functional>

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
    RunHooks hooks;
};

// Blocks until the run is over. Throws SetupError before anything is sent when the run
// cannot start (a literal host does not resolve, the CA file is unreadable).
RunResult run_scenario(const Scenario& scenario, const RunSettings& settings);

// The ad-hoc `--url` mode as a one-step scenario, so both modes share one code path.
Scenario scenario_from_spec(const RunSpec& spec);

// run_scenario(scenario_from_spec(spec), ...).
RunResult run_load(const RunSpec& spec);

struct WorkerPlan;
// Splits connections (open), VUs and iterations (closed) and queue space across workers.
std::vector<WorkerPlan> plan_workers(const Scenario& scenario, int threads);

}  // namespace faultline
