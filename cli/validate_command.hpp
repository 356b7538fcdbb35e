#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace faultline {

// `faultline validate FILE [-e NAME=VALUE]...`: loads the scenario without sending
// anything. Prints every problem to stderr as FILE:LINE:COL: message and returns 2
// (exit_code::bad_input), or prints a one-paragraph summary to stdout and returns 0.
int validate_command(const std::string& file, const std::vector<std::string>& env_assignments);

// The same with the streams given (tests).
int validate_command(const std::string& file, const std::vector<std::string>& env_assignments, std::ostream& out,
                     std::ostream& err);

}  // namespace faultline
