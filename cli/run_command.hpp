#pragma once
#include <string>
#include <vector>

#include "cli/run_options.hpp"
#include "scenarios/run_spec.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

// Every problem with the flags, each naming the flag; empty when `spec` is usable.
std::vector<std::string> build_run_spec(const RunOptions& options, RunSpec& spec);

// Scenario-file mode: --rate/--vus/--duration/--requests replace the file's stages with one
// constant stage (a value not given is taken from the file's last stage and total duration).
// Problems are appended to errors, each naming its flag.
void apply_load_overrides(const RunOptions& options, Scenario& scenario, std::vector<std::string>& errors);

// Runs `faultline run`: validates, runs, prints the summary, writes --json. Returns the
// process exit code (cli/exit_codes.hpp).
int run_command(const RunOptions& options);

}  // namespace faultline
