#include "reports/compare.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <fmt/format.h>
#include <iterator>

#include "common/text.hpp"

namespace faultline {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 7> kLatencyMetrics{"p50", "p90", "p95", "p99", "p999", "max", "mean"};
constexpr std::string_view kMetricList = "p50, p90, p95, p99, p999, max, mean, error_rate, rps";

bool is_latency(std::string_view m) {
    return std::find(kLatencyMetrics.begin(), kLatencyMetrics.end(), m) != kLatencyMetrics.end();
}

// "10%" -> 0.10 (suffix "%"), "0.1pp" -> 0.001 (suffix "pp"); nullopt for anything else.
std::optional<double> parse_amount(std::string_view text, std::string_view suffix) {
    if (!text.ends_with(suffix)) return std::nullopt;
    text.remove_suffix(suffix.size());
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !(v >= 0)) return std::nullopt;
    return v / 100.0;
}

std::string parse_item(std::string_view item, std::vector<RegressionLimit>& out) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) return "expected metric=limit, e.g. p99=10%";
    const auto metric = trim(item.substr(0, eq));
    const auto amount = trim(item.substr(eq + 1));
    const bool pp = metric == "error_rate";
    if (!pp && metric != "rps" && !is_latency(metric))
        return fmt::format("unknown metric '{}' (use {})", metric, kMetricList);
    if (std::any_of(out.begin(), out.end(), [&](const auto& l) { return l.metric == metric; }))
        return fmt::format("'{}' is given twice", metric);
    const auto v = parse_amount(amount, pp ? "pp" : "%");
    if (!v)
        return pp ? fmt::format("'{}' is not percentage points (error_rate is absolute, e.g. 0.1pp)", amount)
                  : fmt::format("'{}' is not a percentage (e.g. 10%)", amount);
    out.push_back({std::string(metric), *v});
    return {};
}

struct MetricValue {
    std::string name, unit;
    double value;
};

std::vector<MetricValue> metrics_of(const RunResult& r) {
    const auto s = latency_stats_ms(r.latency);
    return {{"p50", "ms", s.p50},   {"p90", "ms", s.p90},   {"p95", "ms", s.p95},
            {"p99", "ms", s.p99},   {"p999", "ms", s.p999}, {"max", "ms", s.max},
            {"mean", "ms", s.mean}, {"error_rate", "fraction", r.error_rate}, {"rps", "per_s", r.rps}};
}

std::string relative_change(double base, double next) {
    if (base == 0) return next == 0 ? "+0.0%" : "n/a";
    return fmt::format("{:+.1f}%", (next / base - 1.0) * 100.0);
}

// Fills change, limit and regressed of a row whose base/next/unit are set.
void judge(CompareRow& row, std::string_view metric, const std::optional<double>& limit) {
    if (row.unit == "fraction") row.change = fmt::format("{:+.3f}pp", (row.next - row.base) * 100.0);
    else row.change = relative_change(row.base, row.next);
    if (!limit) return;
    if (metric == "error_rate") {
        row.limit = fmt::format("+{:g}pp", *limit * 100.0);
        row.regressed = row.next - row.base > *limit + 1e-12;
    } else if (metric == "rps") {
        row.limit = fmt::format("-{:g}%", *limit * 100.0);
        row.regressed = row.next < row.base * (1.0 - *limit) - 1e-9;
    } else {
        row.limit = fmt::format("+{:g}%", *limit * 100.0);
        row.regressed = row.next > row.base * (1.0 + *limit) + 1e-9;
    }
}

void add_rows(Comparison& c, const RunResult& base, const RunResult& next, const std::string& prefix,
              const std::vector<RegressionLimit>* limits) {
    const auto b = metrics_of(base);
    const auto n = metrics_of(next);
    for (std::size_t i = 0; i < b.size(); ++i) {
        CompareRow row{prefix + b[i].name, b[i].unit, b[i].value, n[i].value, {}, {}, false};
        std::optional<double> limit;
        if (limits)
            for (const auto& l : *limits)
                if (l.metric == b[i].name) limit = l.limit;
        judge(row, b[i].name, limit);
        c.regressed = c.regressed || row.regressed;
        c.rows.push_back(std::move(row));
    }
}

std::string format_value(double v, const std::string& unit) {
    if (unit == "fraction") return fmt::format("{:.4f}%", v * 100.0);
    if (unit == "per_s") return fmt::format("{:.1f}/s", v);
    return fmt::format("{:.3f}ms", v);
}

}  // namespace

Parsed<std::vector<RegressionLimit>> parse_max_regression(std::string_view spec) {
    Parsed<std::vector<RegressionLimit>> out;
    std::vector<RegressionLimit> limits;
    if (trim(spec).empty()) {
        out.error = fmt::format("--max-regression: empty (e.g. {})", kDefaultMaxRegression);
        return out;
    }
    while (true) {
        const auto comma = spec.find(',');
        const auto item = trim(spec.substr(0, comma));
        const auto error = parse_item(item, limits);
        if (!error.empty()) {
            out.error = fmt::format("--max-regression: '{}': {}", item, error);
            return out;
        }
        if (comma == std::string_view::npos) break;
        spec.remove_prefix(comma + 1);
    }
    out.value = std::move(limits);
    return out;
}

Comparison compare_results(const RunResult& base, const RunResult& next, const std::vector<RegressionLimit>& limits) {
    Comparison c;
    add_rows(c, base, next, "", &limits);
    // Steps are shown, not gated: a step's sample is smaller and noisier than the totals.
    for (const auto& s : base.steps) {
        const auto it = std::find_if(next.steps.begin(), next.steps.end(), [&](const auto& x) { return x.name == s.name; });
        if (it != next.steps.end()) add_rows(c, s.stats, it->stats, "steps." + s.name + ".", nullptr);
    }
    return c;
}

std::string format_comparison(const Comparison& c, std::string_view base_name, std::string_view new_name) {
    std::string out;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "base {}\nnew  {}\n", base_name, new_name);
    fmt::format_to(o, "{:<28} {:>16} {:>16} {:>10} {:>8}  {}\n", "metric", "base", "new", "change", "limit", "result");
    std::string failures;
    for (const auto& r : c.rows) {
        const char* result = r.limit.empty() ? "" : r.regressed ? "REGRESSED" : "ok";
        auto line = fmt::format("{:<28} {:>16} {:>16} {:>10} {:>8}  {}", r.metric, format_value(r.base, r.unit),
                                format_value(r.next, r.unit), r.change, r.limit.empty() ? "-" : r.limit, result);
        out += trim(line);
        out += '\n';
        if (r.regressed) failures += fmt::format("{}{} {} (limit {})", failures.empty() ? "" : ", ", r.metric, r.change, r.limit);
    }
    fmt::format_to(o, "{}\n", failures.empty() ? std::string("no regression") : "REGRESSION: " + failures);
    return out;
}

json::object comparison_to_json(const Comparison& c, std::string_view base_name, std::string_view new_name) {
    json::array rows;
    for (const auto& r : c.rows)
        rows.push_back(json::object{{"metric", r.metric},
                                    {"unit", r.unit},
                                    {"base", r.base},
                                    {"new", r.next},
                                    {"change", r.change},
                                    {"limit", r.limit.empty() ? json::value(nullptr) : json::value(r.limit)},
                                    {"regressed", r.regressed}});
    return json::object{{"base", base_name}, {"new", new_name}, {"regressed", c.regressed}, {"rows", std::move(rows)}};
}

}  // namespace faultline
