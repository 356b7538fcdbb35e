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
#include "driver/driver.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

// Loads the scenario again with values known only once its proxies listen
// ({"proxies.db.listen", "127.0.0.1:41234"}); nullopt after printing the problems.
using ScenarioReloader =
    std::function<std::optional<Scenario>(const std::vector<std::pair<std::string, std::string>>& runtime)>;

int execute_run(const RunOptions& options, const Scenario& scenario, const RunSettings& settings,
                const ScenarioReloader& reload);

// Precedence when several apply: 130 > 2 > 3 > 1 > 0.
int worst_exit_code(std::initializer_list<int> codes);

}  // namespace faultline
