#pragma once
#include <string>
#include <vector>

#include "cli/run_options.hpp"
#include "scenarios/run_spec.hpp"

namespace faultline {

// Every problem with the flags, each naming the flag; empty when `spec` is usable.
std::vector<std::string> build_run_spec(const RunOptions& options, RunSpec& spec);

// Runs `faultline run`: validates, runs, prints the summary, writes --json. Returns the
// process exit code (cli/exit_codes.hpp).
int run_command(const RunOptions& options);

}  // namespace faultline
