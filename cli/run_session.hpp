#pragma once
// One `faultline run` after its input has been checked: starts the scenario's proxies and
// services, runs the load with the fault timeline, the abort monitor and the progress line,
// always removes faults and stops services, evaluates thresholds and recovery, prints the
// summary and writes the report files. Returns the exit code (cli/exit_codes.hpp).
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/run_options.hpp"
#include "cli/signal_watch.hpp"
#include "driver/driver.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

// Loads the scenario again with values known only once its proxies listen
// ({"proxies.db.listen", "127.0.0.1:41234"}); nullopt after printing the problems.
using ScenarioReloader =
    std::function<std::optional<Scenario>(const std::vector<std::pair<std::string, std::string>>& runtime)>;

// `scenario_sha256` is written into the result (`report merge` refuses to mix scenarios).
// `watch` was created before anything was printed, so a signal at any moment is seen.
int execute_run(const RunOptions& options, const Scenario& scenario, const RunSettings& settings,
                const ScenarioReloader& reload, const std::string& scenario_sha256, SignalWatch& watch);

// `--faults-only` (docs/distributed.md): the chaos part of the scenario without load.
// Proxies, services and the fault timeline start as in a run, the timeline counting from
// settings.origin_unix_ms (required); they are removed when the load's stages are over plus
// the request timeout (or on Ctrl-C). The result holds `start_unix_ms`, the fault windows
// (scheduled and applied) and no load; `report merge --faults` analyses them against the
// shards' merged load. Exit codes as for a run; thresholds are not evaluated here.
int execute_faults_only(const RunOptions& options, const Scenario& scenario, const RunSettings& settings,
                        const ScenarioReloader& reload, const std::string& scenario_sha256, SignalWatch& watch);

// Precedence when several apply: 130 > 2 > 3 > 1 > 0.
int worst_exit_code(std::initializer_list<int> codes);

}  // namespace faultline
