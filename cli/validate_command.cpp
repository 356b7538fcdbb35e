#include "cli/validate_command.hpp"

#include <iostream>

#include "cli/exit_codes.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/summary.hpp"

namespace faultline {

int validate_command(const std::string& file, const std::vector<std::string>& env_assignments, std::ostream& out,
                     std::ostream& err) {
    LoadOptions options;
    bool bad_flag = false;
    for (const auto& assignment : env_assignments) {
        const auto eq = assignment.find('=');
        if (eq == std::string::npos || eq == 0) {
            err << "-e: '" << assignment << "' is not NAME=VALUE\n";
            bad_flag = true;
            continue;
        }
        options.env.emplace_back(assignment.substr(0, eq), assignment.substr(eq + 1));
    }
    if (bad_flag) return exit_code::bad_input;
    const auto result = load_scenario_file(file, options);
    if (!result.ok()) {
        for (const auto& d : result.diagnostics) err << format(d) << '\n';
        return exit_code::bad_input;
    }
    out << describe(*result.scenario) << '\n';
    return exit_code::ok;
}

int validate_command(const std::string& file, const std::vector<std::string>& env_assignments) {
    return validate_command(file, env_assignments, std::cout, std::cerr);
}

}  // namespace faultline
