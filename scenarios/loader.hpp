#pragma once
// Loading a YAML scenario file into a checked Scenario. Every problem is reported at once,
// each with file:line:col; nothing is sent anywhere. Pure apart from reading the file, the
// CSV files it names and (when allowed) the process environment. Thread-safe (no shared
// state).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/diagnostic.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

struct LoadOptions {
    // -e NAME=VALUE overrides; they win over the process environment.
    std::vector<std::pair<std::string, std::string>> env;
    // {{env.NAME}} falls back to getenv(NAME); undefined if neither has it.
    bool use_process_env = true;
    // --target URL: replaces the file's target (checked like it).
    std::optional<std::string> target_override;
    // Values known only once the run's proxies listen, as {"proxies.db.listen",
    // "127.0.0.1:41234"}. Without one, {{proxies.NAME.listen}} renders as the declared
    // `listen` (so a file validates before anything is started).
    std::vector<std::pair<std::string, std::string>> runtime;
};

struct LoadResult {
    std::optional<Scenario> scenario;      // set only when there are no diagnostics
    std::vector<Diagnostic> diagnostics;   // in file order within each section
    bool ok() const noexcept { return scenario.has_value() && diagnostics.empty(); }
};

// CSV and CA file paths are relative to the file's directory. A file that cannot be read
// is one diagnostic with line 0.
LoadResult load_scenario_file(const std::filesystem::path& file, const LoadOptions& options);

// `file_name` is used in diagnostics; relative paths in the text resolve against base_dir.
LoadResult load_scenario_text(std::string_view yaml, const std::string& file_name,
                              const std::filesystem::path& base_dir, const LoadOptions& options);

}  // namespace faultline
