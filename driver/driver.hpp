#pragma once
// Runs a RunSpec: resolves the target, starts one Worker per thread, stops them on
// SIGINT/SIGTERM (in-flight requests get 1 s), and merges their recorders into a RunResult.
#include <stdexcept>

#include "reports/run_result.hpp"
#include "scenarios/run_spec.hpp"

namespace faultline {

// The run could not start (name does not resolve, TLS setup failed): exit code 3.
class SetupError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Blocks until the run is over. Throws SetupError before anything is sent when the target
// cannot be reached at all by construction (DNS, CA file).
RunResult run_load(const RunSpec& spec);

// Splits the spec's connections, VUs, requests and queue across spec.threads workers.
struct WorkerPlan;
std::vector<WorkerPlan> plan_workers(const RunSpec& spec);

}  // namespace faultline
