#pragma once
// Typed reads from yaml-cpp nodes that never throw: a value of the wrong type, an unknown
// key or an unparsable duration becomes a Diagnostic at the node's file:line:col, and the
// loader keeps going so that one run reports every problem. Internal to the loader.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "scenarios/diagnostic.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/template.hpp"

namespace faultline {

class YamlReader {
public:
    // `source` is the YAML text (kept by the caller), used to point inside scalars.
    YamlReader(std::string file, std::string_view source, std::vector<Diagnostic>& out);

    const std::string& file() const noexcept { return file_; }
    std::vector<Diagnostic>& diagnostics() noexcept { return out_; }
    SourcePos pos(const YAML::Node& node) const;

    void error(const YAML::Node& node, std::string message);
    // Points `offset` bytes into a one-line scalar when the source shows the value verbatim
    // (plain, or quoted without escapes); otherwise at the node.
    void error_at(const YAML::Node& node, std::size_t offset, std::string message);

    // Reports each key of `map` not in `allowed`, with a suggestion. True if all are known.
    bool check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, std::string_view where);

    bool expect_map(const YAML::Node& node, std::string_view what);
    bool expect_list(const YAML::Node& node, std::string_view what);
    std::optional<std::string> string(const YAML::Node& node, std::string_view what);
    std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
    std::optional<std::int64_t> integer(const YAML::Node& node, std::string_view what, std::int64_t min,
                                        std::int64_t max);
    std::optional<double> number(const YAML::Node& node, std::string_view what, double min);
    std::optional<Duration> duration(const YAML::Node& node, std::string_view what);
    // Iterations per second; "0" is accepted when allow_zero (ramps that start or end idle).
    std::optional<double> rate(const YAML::Node& node, std::string_view what, bool allow_zero);
    std::optional<std::uint64_t> size(const YAML::Node& node, std::string_view what);
    // Compiles a string scalar as a template; reports compile errors inside the scalar.
    std::optional<Template> templ(const YAML::Node& node, std::string_view what, const TemplateSymbols& symbols);

private:
    std::string file_;
    std::vector<std::string_view> lines_;
    std::vector<Diagnostic>& out_;
};

// "a map", "a list", "null" or the scalar in quotes: how messages show what was found.
std::string describe_node(const YAML::Node& node);

// True for a quoted scalar ("..." or '...'): such a value is always a string.
bool is_quoted(const YAML::Node& node);

}  // namespace faultline
