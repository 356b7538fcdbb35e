#include "scenarios/yaml_reader.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "common/units.hpp"
#include "scenarios/suggest.hpp"

namespace faultline {

std::string describe_node(const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull()) return "nothing";
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    return "'" + node.Scalar() + "'";
}

bool is_quoted(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "!"; }

YamlReader::YamlReader(std::string file, std::string_view source, std::vector<Diagnostic>& out)
    : file_(std::move(file)), out_(out) {
    std::size_t start = 0;
    while (start <= source.size()) {
        const auto end = source.find('\n', start);
        lines_.push_back(source.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
}

SourcePos YamlReader::pos(const YAML::Node& node) const {
    if (!node.IsDefined()) return {file_, 0, 0};  // Mark() throws on a missing key's node
    const auto mark = node.Mark();
    if (mark.line < 0) return {file_, 0, 0};
    return {file_, mark.line + 1, mark.column + 1};
}

void YamlReader::error(const YAML::Node& node, std::string message) {
    const auto p = pos(node);
    out_.push_back({p.file, p.line, p.column, std::move(message)});
}

void YamlReader::error_at(const YAML::Node& node, std::size_t offset, std::string message) {
    if (!node.IsDefined()) return error(node, std::move(message));
    const auto mark = node.Mark();
    if (node.IsScalar() && mark.line >= 0 && static_cast<std::size_t>(mark.line) < lines_.size()) {
        const auto line = lines_[static_cast<std::size_t>(mark.line)];
        auto at = static_cast<std::size_t>(mark.column);
        const std::string& value = node.Scalar();
        // A quoted value starts one past the quote; either way the source must show the
        // value byte for byte, or the offset would land somewhere else.
        if (at < line.size() && (line[at] == '"' || line[at] == '\'')) ++at;
        if (at <= line.size() && line.substr(at).starts_with(value)) {
            out_.push_back({file_, mark.line + 1, static_cast<int>(at + offset) + 1, std::move(message)});
            return;
        }
    }
    error(node, std::move(message));
}

bool YamlReader::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                            std::string_view where) {
    const std::vector<std::string> names(allowed.begin(), allowed.end());
    bool ok = true;
    for (const auto& kv : map) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : describe_node(kv.first);
        if (std::find(names.begin(), names.end(), key) != names.end()) continue;
        ok = false;
        auto hint = did_you_mean(key, names);
        if (hint.empty()) hint = fmt::format(" (expected one of: {})", fmt::join(names, ", "));
        error(kv.first, fmt::format("unknown key '{}' in {}{}", key, where, hint));
    }
    return ok;
}

bool YamlReader::expect_map(const YAML::Node& node, std::string_view what) {
    if (node.IsMap()) return true;
    error(node, fmt::format("{}: expected a map, got {}", what, describe_node(node)));
    return false;
}

bool YamlReader::expect_list(const YAML::Node& node, std::string_view what) {
    if (node.IsSequence()) return true;
    error(node, fmt::format("{}: expected a list, got {}", what, describe_node(node)));
    return false;
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) return node.Scalar();
    error(node, fmt::format("{}: expected a string, got {}", what, describe_node(node)));
    return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, std::string_view what) {
    bool value = false;
    if (node.IsScalar() && !is_quoted(node) && YAML::convert<bool>::decode(node, value)) return value;
    error(node, fmt::format("{}: expected true or false, got {}", what, describe_node(node)));
    return std::nullopt;
}

std::optional<std::int64_t> YamlReader::integer(const YAML::Node& node, std::string_view what, std::int64_t min,
                                                std::int64_t max) {
    long long value = 0;
    if (!node.IsScalar() || is_quoted(node) || !YAML::convert<long long>::decode(node, value)) {
        error(node, fmt::format("{}: expected an integer, got {}", what, describe_node(node)));
        return std::nullopt;
    }
    if (value < min || value > max) {
        error(node, fmt::format("{}: {} is out of range ({} to {})", what, value, min, max));
        return std::nullopt;
    }
    return value;
}

std::optional<double> YamlReader::number(const YAML::Node& node, std::string_view what, double min) {
    double value = 0;
    if (!node.IsScalar() || is_quoted(node) || !YAML::convert<double>::decode(node, value)) {
        error(node, fmt::format("{}: expected a number, got {}", what, describe_node(node)));
        return std::nullopt;
    }
    if (!(value >= min)) {
        error(node, fmt::format("{}: must be at least {}, got {}", what, min, node.Scalar()));
        return std::nullopt;
    }
    return value;
}

std::optional<Duration> YamlReader::duration(const YAML::Node& node, std::string_view what) {
    auto text = string(node, what);
    if (!text) return std::nullopt;
    auto parsed = parse_duration(*text);
    if (parsed) return *parsed;
    error(node, fmt::format("{}: {}", what, parsed.error));
    return std::nullopt;
}

std::optional<double> YamlReader::rate(const YAML::Node& node, std::string_view what, bool allow_zero) {
    auto text = string(node, what);
    if (!text) return std::nullopt;
    if (allow_zero && (*text == "0" || *text == "0/s" || *text == "0/m" || *text == "0/h")) return 0.0;
    auto parsed = parse_rate(*text);
    if (parsed) return *parsed;
    error(node, fmt::format("{}: {}", what, parsed.error));
    return std::nullopt;
}

std::optional<std::uint64_t> YamlReader::size(const YAML::Node& node, std::string_view what) {
    auto text = string(node, what);
    if (!text) return std::nullopt;
    auto parsed = parse_size(*text);
    if (parsed) return *parsed;
    error(node, fmt::format("{}: {}", what, parsed.error));
    return std::nullopt;
}

std::optional<Template> YamlReader::templ(const YAML::Node& node, std::string_view what,
                                          const TemplateSymbols& symbols) {
    auto text = string(node, what);
    if (!text) return std::nullopt;
    Template t;
    std::vector<TemplateError> errors;
    if (Template::compile(*text, symbols, t, errors)) return t;
    for (auto& e : errors) error_at(node, e.offset, fmt::format("{}: {}", what, e.message));
    return std::nullopt;
}

}  // namespace faultline
