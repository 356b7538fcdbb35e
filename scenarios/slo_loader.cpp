#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "common/text.hpp"
#include "scenarios/loader_parts.hpp"
#include "scenarios/suggest.hpp"

namespace faultline {
namespace {

std::optional<double> parse_decimal(std::string_view text) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// "0.1%" or 0.001: a share in [0, 1]. A bare number above 1 is almost always a percentage
// written without '%', so it is rejected with that hint rather than read as 500%.
std::optional<double> fraction(YamlReader& rd, const YAML::Node& n, const std::string& what) {
    auto text = rd.string(n, what);
    if (!text) return std::nullopt;
    const auto t = trim(*text);
    const bool percent = t.ends_with('%');
    const auto value = parse_decimal(percent ? trim(t.substr(0, t.size() - 1)) : t);
    if (!value) {
        rd.error(n, fmt::format("{}: expected a percentage (0.1%) or a fraction (0.001), got '{}'", what, *text));
        return std::nullopt;
    }
    const double f = percent ? *value / 100 : *value;
    if (f < 0 || f > 1) {
        rd.error(n, percent ? fmt::format("{}: '{}' is not between 0% and 100%", what, *text)
                            : fmt::format("{}: {} is not a fraction between 0 and 1 (write {}% for a percentage)",
                                          what, *text, *text));
        return std::nullopt;
    }
    return f;
}

void load_latency(YamlReader& rd, const YAML::Node& node, const std::string& what, std::vector<LatencyLimit>& out) {
    if (!rd.expect_map(node, what)) return;
    for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        const auto pct = percentile_of(key);
        if (!pct) {
            rd.error(kv.first, fmt::format("{}: '{}' is not a percentile (use p50, p95, p99, p99.9, p999 or max)",
                                           what, key));
            continue;
        }
        const auto same =
            std::find_if(out.begin(), out.end(), [&](const LatencyLimit& l) { return l.percentile == *pct; });
        if (same != out.end()) {
            rd.error(kv.first, fmt::format("{}: '{}' is the same percentile as '{}'", what, key, same->key));
            continue;
        }
        auto limit = rd.duration(kv.second, what + "." + key);
        if (limit && *limit <= Duration::zero()) rd.error(kv.second, what + "." + key + ": must be greater than zero");
        else if (limit) out.push_back({key, *pct, *limit});
    }
}

std::vector<std::string> step_names(const Scenario& s) {
    std::vector<std::string> names;
    for (const auto& flow : s.flows)
        for (const auto& step : flow.steps)
            if (const auto* http = std::get_if<HttpStep>(&step)) names.push_back(http->name);
    return names;
}

void load_steps(YamlReader& rd, const YAML::Node& node, const Scenario& s, bool check_steps, SloSpec& out) {
    if (!rd.expect_map(node, "slo.steps")) return;
    const auto names = step_names(s);
    for (const auto& kv : node) {
        StepSlo step;
        step.step = kv.first.Scalar();
        const std::string where = "slo.steps." + step.step;
        if (check_steps && std::find(names.begin(), names.end(), step.step) == names.end())
            rd.error(kv.first,
                     fmt::format("slo.steps: no step named '{}'{}", step.step, did_you_mean(step.step, names)));
        if (!rd.expect_map(kv.second, where)) continue;
        rd.check_keys(kv.second, {"latency", "error_rate"}, where);
        if (const auto n = kv.second["latency"]) load_latency(rd, n, where + ".latency", step.latency);
        if (const auto n = kv.second["error_rate"]) step.error_rate = fraction(rd, n, where + ".error_rate");
        out.steps.push_back(std::move(step));
    }
}

// "latency.p999" names the limit written "p99.9" too: both are the same percentile.
const LatencyLimit* find_latency(const SloSpec& slo, std::string_view key) {
    const auto pct = percentile_of(key);
    if (!pct) return nullptr;
    const auto it = std::find_if(slo.latency.begin(), slo.latency.end(),
                                 [&](const LatencyLimit& l) { return l.percentile == *pct; });
    return it == slo.latency.end() ? nullptr : &*it;
}

std::optional<std::string> abort_name(YamlReader& rd, const YAML::Node& n, const std::string& what,
                                      const SloSpec& slo) {
    auto name = rd.string(n, what);
    if (!name) return std::nullopt;
    if (*name == "error_rate") {
        if (slo.error_rate) return name;
        rd.error(n, what + ": 'error_rate' needs slo.error_rate (set it, or remove it here)");
        return std::nullopt;
    }
    if (name->starts_with("latency.") && percentile_of(name->substr(8))) {
        if (const auto* limit = find_latency(slo, name->substr(8))) return "latency." + limit->key;
        rd.error(n, fmt::format("{}: '{}' needs slo.latency.{} (set it, or remove it here)", what, *name,
                                name->substr(8)));
        return std::nullopt;
    }
    std::vector<std::string> known{"error_rate"};
    for (const auto& l : slo.latency) known.push_back("latency." + l.key);
    auto hint = did_you_mean(*name, known);
    if (hint.empty()) hint = " (use error_rate or latency.pNN)";
    rd.error(n, fmt::format("{}: unknown limit '{}'{}", what, *name, hint));
    return std::nullopt;
}

}  // namespace

std::optional<double> percentile_of(std::string_view key) {
    if (key == "max") return 100.0;
    if (!key.starts_with('p') || key.size() < 2) return std::nullopt;
    const auto digits = key.substr(1);
    // p999, p9999: the nines shorthand for 99.9, 99.99.
    if (digits.size() >= 3 && digits.find_first_not_of('9') == std::string_view::npos)
        return parse_decimal("99." + std::string(digits.substr(2)));
    const auto dot = digits.find('.');
    if (std::min(dot, digits.size()) > 2 || digits.front() == '.') return std::nullopt;
    const auto v = parse_decimal(digits);
    if (!v || *v <= 0 || *v >= 100) return std::nullopt;
    return v;
}

void load_slo(YamlReader& rd, const YAML::Node& slo, const Scenario& s, bool check_steps, SloSpec& out) {
    if (!rd.expect_map(slo, "slo")) return;
    rd.check_keys(slo, {"latency", "error_rate", "availability", "recovery_time", "recovery_intervals", "errors",
                        "throughput", "steps"},
                  "slo");
    if (const auto n = slo["latency"]) load_latency(rd, n, "slo.latency", out.latency);
    if (const auto n = slo["error_rate"]) out.error_rate = fraction(rd, n, "slo.error_rate");
    if (const auto n = slo["availability"]) out.availability = fraction(rd, n, "slo.availability");
    if (const auto n = slo["recovery_time"]) out.recovery_time = rd.duration(n, "slo.recovery_time");
    if (const auto n = slo["recovery_intervals"]) {
        if (auto v = rd.integer(n, "slo.recovery_intervals", 1, 1'000'000))
            out.recovery_intervals = static_cast<int>(*v);
    }
    if (const auto n = slo["errors"]) {
        if (auto v = rd.integer(n, "slo.errors", 0, std::numeric_limits<std::int64_t>::max()))
            out.errors = static_cast<std::uint64_t>(*v);
    }
    if (const auto n = slo["throughput"]) out.throughput_per_s = rd.rate(n, "slo.throughput", false);
    if (const auto n = slo["steps"]) load_steps(rd, n, s, check_steps, out);
}

void load_abort(YamlReader& rd, const YAML::Node& abort, const SloSpec& slo, std::optional<AbortSpec>& out) {
    if (!rd.expect_map(abort, "abort")) return;
    rd.check_keys(abort, {"when", "for"}, "abort");
    AbortSpec spec;
    if (const auto when = abort["when"]; !when) {
        rd.error(abort, "abort: missing 'when' (the slo limits that stop the run, e.g. [error_rate, latency.p99])");
    } else if (rd.expect_list(when, "abort.when")) {
        if (when.size() == 0) rd.error(when, "abort.when: empty list (name at least one slo limit)");
        for (std::size_t i = 0; i < when.size(); ++i) {
            auto name = abort_name(rd, when[i], fmt::format("abort.when[{}]", i), slo);
            if (name && std::find(spec.when.begin(), spec.when.end(), *name) == spec.when.end())
                spec.when.push_back(std::move(*name));
        }
    }
    if (const auto n = abort["for"]; !n) {
        rd.error(abort, "abort: missing 'for' (how long the limits must be violated, e.g. for: 10s)");
    } else if (auto v = rd.duration(n, "abort.for")) {
        if (*v <= Duration::zero()) rd.error(n, "abort.for: must be greater than zero");
        else spec.for_duration = *v;
    }
    out = std::move(spec);
}

}  // namespace faultline
