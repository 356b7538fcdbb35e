#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <regex>

#include "common/units.hpp"
#include "scenarios/loader_parts.hpp"

namespace faultline {
namespace {

void load_status(YamlReader& rd, const YAML::Node& node, const std::string& where, std::vector<int>& out) {
    const auto one = [&](const YAML::Node& n) {
        long long code = 0;
        if (!n.IsScalar() || is_quoted(n) || !YAML::convert<long long>::decode(n, code) || code < 100 || code > 599) {
            rd.error(n, fmt::format("{}: invalid status code {} (expected 100 to 599)", where, describe_node(n)));
            return;
        }
        out.push_back(static_cast<int>(code));
    };
    if (node.IsSequence()) {
        if (node.size() == 0) rd.error(node, where + ": empty list (omit 'status' to accept any 2xx/3xx)");
        for (const auto& n : node) one(n);
    } else {
        one(node);
    }
}

// "< 250ms" (the `<` is optional): the corrected latency must stay below it.
void load_latency(YamlReader& rd, const YAML::Node& node, const std::string& where, Expectations& out) {
    auto text = rd.string(node, where);
    if (!text) return;
    std::string_view v = *text;
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    if (v.starts_with("<")) v.remove_prefix(1);
    const auto d = parse_duration(v);
    if (!d || *d <= Duration::zero()) {
        rd.error(node, fmt::format("{}: expected '< DURATION' (e.g. \"< 250ms\"), got '{}'", where, *text));
        return;
    }
    out.latency_below = *d;
}

std::optional<JsonPath> load_json_path(YamlReader& rd, const YAML::Node& node, const std::string& where) {
    auto text = rd.string(node, where);
    if (!text) return std::nullopt;
    std::string error;
    auto path = JsonPath::parse(*text, error);
    if (!path) rd.error(node, fmt::format("{}: {}", where, error));
    return path;
}

bool load_one_extraction(YamlReader& rd, const YAML::Node& spec, const std::string& where, Extraction& e) {
    if (!rd.expect_map(spec, where)) return false;
    if (!rd.check_keys(spec, {"json", "header", "regex"}, where)) return false;
    if (spec.size() != 1) {
        rd.error(spec, where + ": give exactly one of json, header or regex");
        return false;
    }
    if (const auto n = spec["json"]) {
        e.from = Extraction::From::json;
        auto path = load_json_path(rd, n, where + ".json");
        if (path) e.json = std::move(*path);
        return path.has_value();
    }
    if (const auto n = spec["header"]) {
        e.from = Extraction::From::header;
        auto name = rd.string(n, where + ".header");
        if (!name) return false;
        e.header = *name;
        for (auto& c : e.header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return true;
    }
    e.from = Extraction::From::regex;
    const auto n = spec["regex"];
    auto pattern = rd.string(n, where + ".regex");
    if (!pattern) return false;
    try {
        // Compiled once here; every response reuses it (compiling costs far more than matching).
        e.compiled = std::make_shared<const std::regex>(*pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& err) {
        rd.error(n, fmt::format("{}.regex: invalid regular expression '{}': {}", where, *pattern, err.what()));
        return false;
    }
    e.pattern = *pattern;
    return true;
}

}  // namespace

void load_expect(YamlReader& rd, const YAML::Node& node, const std::string& where, Expectations& out) {
    if (!rd.expect_map(node, where)) return;
    rd.check_keys(node, {"status", "body_contains", "json", "latency"}, where);
    if (const auto n = node["status"]) load_status(rd, n, where + ".status", out.status);
    if (const auto n = node["body_contains"]) out.body_contains = rd.string(n, where + ".body_contains");
    if (const auto n = node["latency"]) load_latency(rd, n, where + ".latency", out);
    const auto json = node["json"];
    if (!json || !rd.expect_map(json, where + ".json")) return;
    for (const auto& kv : json) {
        auto path = load_json_path(rd, kv.first, where + ".json");
        if (path) out.json.push_back({std::move(*path), yaml_to_json(kv.second)});
    }
}

void load_extract(YamlReader& rd, const YAML::Node& node, const std::string& where,
                  const std::vector<std::string>& slots, std::vector<Extraction>& out) {
    if (!rd.expect_map(node, where)) return;
    for (const auto& kv : node) {
        const std::string name = kv.first.Scalar();
        if (!is_identifier(name)) {
            rd.error(kv.first, fmt::format("{}: '{}' is not a valid variable name (letters, digits, _)", where, name));
            continue;
        }
        Extraction e;
        e.slot = static_cast<int>(std::find(slots.begin(), slots.end(), name) - slots.begin());
        if (load_one_extraction(rd, kv.second, where + "." + name, e)) out.push_back(std::move(e));
    }
}

}  // namespace faultline
