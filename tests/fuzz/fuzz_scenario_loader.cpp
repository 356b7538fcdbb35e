// libFuzzer target: the scenario YAML loader (scenarios/loader.hpp), from the YAML parse to
// the last check (templates, JSONPath, regexes, units, chaos, SLOs).
//
// Input: the YAML text. It is loaded with use_process_env = false (so the result does not
// depend on the environment) and one -e override, as if from
// FAULTLINE_FUZZ_FILES_DIR/fuzz.yaml.
//
// Files: the loader reads the CSV files (`data.*.csv`) and opens the CA file (`tls.ca_file`)
// a scenario names, and stats service `cwd`s. A fuzzer must not read whatever path it makes
// up (/dev/zero, a FIFO, a huge file), so an input is rejected (-1: not run, not kept) when
// any `csv`, `ca_file` or `cwd` key, at any depth, has a value other than a plain relative
// name ("users.csv", "svc"): the loader then only ever touches the small files in
// tests/fuzz/files/scenario. The check parses the YAML with the same yaml-cpp call as the
// loader, so both see the same document.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scenarios/loader.hpp"

namespace {

constexpr std::size_t kMaxNodes = 100'000;  // aliases can make a document exponentially large

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

// "users.csv", "svc/a.csv": relative, every part starting with a letter, digit or '_'.
bool plain_relative(std::string_view path) {
    bool part_start = true;
    for (char c : path) {
        if (c == '/') {
            if (part_start) return false;
            part_start = true;
        } else if (!name_char(c) || (part_start && (c == '.' || c == '-'))) {
            return false;
        } else {
            part_start = false;
        }
    }
    return !part_start;
}

bool is_path_key(const YAML::Node& key) {
    if (!key.IsScalar()) return false;
    const std::string& k = key.Scalar();
    return k == "csv" || k == "ca_file" || k == "cwd";
}

// False when a path value is not plain or the document is too large to check.
bool paths_are_plain(const YAML::Node& node, std::size_t& budget) {
    if (budget == 0) return false;
    --budget;
    if (node.IsMap()) {
        for (const auto& kv : node) {
            if (is_path_key(kv.first) && kv.second.IsScalar() && !plain_relative(kv.second.Scalar())) return false;
            if (!paths_are_plain(kv.first, budget) || !paths_are_plain(kv.second, budget)) return false;
        }
    } else if (node.IsSequence()) {
        for (const auto& item : node)
            if (!paths_are_plain(item, budget)) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    try {
        const YAML::Node root = YAML::Load(std::string(yaml));
        std::size_t budget = kMaxNodes;
        if (!paths_are_plain(root, budget)) return -1;
    } catch (const YAML::Exception&) {
        // The loader reports it as a diagnostic; nothing can be read.
    }
    faultline::LoadOptions options;
    options.use_process_env = false;
    options.env = {{"HOST", "127.0.0.1"}};
    const auto result = faultline::load_scenario_text(yaml, "fuzz.yaml", FAULTLINE_FUZZ_FILES_DIR, options);
    // A scenario exactly when there is no diagnostic.
    if (result.scenario.has_value() != result.diagnostics.empty()) std::abort();
    return 0;
}
