#include "reports/html_report_charts.hpp"

#include <algorithm>
#include <map>

#include "reports/svg_chart.hpp"

namespace faultline {
namespace {

double interval_seconds(const RunResult& r) {
    const double s = std::chrono::duration<double>(r.info.interval).count();
    return s > 0 ? s : 1.0;
}

// The time axis covers the run, its last interval and every fault window with its recovery.
double axis_end_s(const RunResult& r) {
    double end = std::max(r.duration_s, 0.0);
    if (!r.intervals.empty()) end = std::max(end, r.intervals.back().t_s + interval_seconds(r));
    for (const auto& f : r.faults) {
        end = std::max(end, f.window.end_s);
        if (f.recovered && f.recovery_time_s) end = std::max(end, f.window.end_s + *f.recovery_time_s);
    }
    return end > 0 ? end : 1.0;
}

std::vector<ChartBand> fault_bands(const RunResult& r) {
    std::vector<ChartBand> bands;
    for (const auto& f : r.faults) {
        ChartBand b;
        b.start_s = f.window.start_s;
        b.end_s = f.window.end_s;
        b.label = describe_fault_target(f.window);
        if (f.time_to_impact_s) b.impact_at_s = f.window.start_s + *f.time_to_impact_s;
        if (f.recovered && f.recovery_time_s) b.recovered_at_s = f.window.end_s + *f.recovery_time_s;
        bands.push_back(std::move(b));
    }
    return bands;
}

TimeChart base_chart(const RunResult& r, std::string id, std::string title, std::string unit) {
    TimeChart c;
    c.id = std::move(id);
    c.title = std::move(title);
    c.y_unit = std::move(unit);
    c.x_end_s = axis_end_s(r);
    c.interval_s = interval_seconds(r);
    for (const auto& i : r.intervals) c.t_s.push_back(i.t_s);
    c.bands = fault_bands(r);
    c.empty_note = "no intervals recorded";
    return c;
}

// Latency spikes under faults span orders of magnitude: a log axis keeps P50 readable
// when the worst P99 is far above the typical P50.
bool wants_log_axis(const RunResult& r) {
    std::vector<double> p50;
    double worst = 0;
    for (const auto& i : r.intervals)
        if (i.responses > 0 && i.p50_ms > 0) {
            p50.push_back(i.p50_ms);
            worst = std::max(worst, i.p99_ms);
        }
    if (p50.empty()) return false;
    std::nth_element(p50.begin(), p50.begin() + static_cast<std::ptrdiff_t>(p50.size() / 2), p50.end());
    return worst > 20 * p50[p50.size() / 2];
}

TimeChart latency_chart(const RunResult& r) {
    TimeChart c = base_chart(r, "latency", "Latency over time (corrected, per interval)", "ms");
    c.log_y = wants_log_axis(r);
    ChartSeries p50{"P50", "#2563eb", {}}, p95{"P95", "#d97706", {}}, p99{"P99", "#dc2626", {}};
    for (const auto& i : r.intervals) {
        const bool has = i.responses > 0;
        p50.values.push_back(has ? std::optional(i.p50_ms) : std::nullopt);
        p95.values.push_back(has ? std::optional(i.p95_ms) : std::nullopt);
        p99.values.push_back(has ? std::optional(i.p99_ms) : std::nullopt);
    }
    c.series = {std::move(p50), std::move(p95), std::move(p99)};
    if (!r.intervals.empty()) c.empty_note = "no responses";
    return c;
}

TimeChart throughput_chart(const RunResult& r) {
    TimeChart c = base_chart(r, "throughput", "Throughput (by intended send time)", "req/s");
    ChartSeries issued{"issued", "#2563eb", {}}, ok{"succeeded", "#059669", {}};
    for (const auto& i : r.intervals) {
        issued.values.push_back(static_cast<double>(i.requests) / c.interval_s);
        // Intervals count failures by class, not successes: the issued requests that did not
        // fail (dropped arrivals were never issued).
        const std::uint64_t failed = i.errors.failures() - i.errors.n[static_cast<std::size_t>(Outcome::dropped)];
        const std::uint64_t succeeded = i.requests > failed ? i.requests - failed : 0;
        ok.values.push_back(static_cast<double>(succeeded) / c.interval_s);
    }
    c.series = {std::move(issued), std::move(ok)};
    return c;
}

TimeChart errors_chart(const RunResult& r) {
    TimeChart c = base_chart(r, "errors", "Errors by class", "errors/s");
    std::size_t colour = 0;
    for (std::size_t k = 1; k < kOutcomeCount; ++k) {
        ChartSeries s{std::string(outcome_name(static_cast<Outcome>(k))), "", {}};
        std::uint64_t total = 0;
        for (const auto& i : r.intervals) {
            total += i.errors.n[k];
            s.values.push_back(static_cast<double>(i.errors.n[k]) / c.interval_s);
        }
        if (total == 0) continue;
        s.color = palette_color(7 + colour++);  // start on red: errors
        c.series.push_back(std::move(s));
    }
    if (!r.intervals.empty()) c.empty_note = "no errors";
    return c;
}

std::string status_color(int code, std::size_t nth_in_class) {
    static const std::map<int, std::vector<const char*>> kShades = {
        {1, {"#6b7280", "#9ca3af"}},
        {2, {"#059669", "#10b981", "#047857"}},
        {3, {"#2563eb", "#60a5fa"}},
        {4, {"#d97706", "#f59e0b", "#b45309", "#fbbf24"}},
        {5, {"#dc2626", "#7f1d1d", "#f87171", "#b91c1c"}}};
    const auto it = kShades.find(code / 100);
    if (it == kShades.end()) return "#4b5563";
    return it->second[nth_in_class % it->second.size()];
}

TimeChart status_chart(const RunResult& r) {
    TimeChart c = base_chart(r, "status", "HTTP status codes", "responses/s");
    std::map<int, std::vector<std::optional<double>>> by_code;
    for (std::size_t n = 0; n < r.intervals.size(); ++n)
        for (auto [code, count] : r.intervals[n].status_codes) {
            auto& v = by_code[code];
            v.resize(r.intervals.size(), 0.0);
            v[n] = static_cast<double>(count) / c.interval_s;
        }
    std::map<int, std::size_t> per_class;
    for (auto& [code, values] : by_code)
        c.series.push_back({std::to_string(code), status_color(code, per_class[code / 100]++), std::move(values)});
    if (!r.intervals.empty()) c.empty_note = "no HTTP responses";
    return c;
}

}  // namespace

std::string describe_fault_target(const FaultWindow& w) {
    std::string target = w.service;
    for (const auto& p : w.proxies) target += (target.empty() ? "" : ", ") + p;
    return target.empty() ? w.type : w.type + " on " + target;
}

std::string render_report_charts(const RunResult& r) {
    std::string out = "<section id=\"charts\"><h2>Over time</h2>";
    if (!r.faults.empty())
        out += "<p class=\"note\">Shaded: fault windows (scheduled). Dotted line: first unhealthy interval; dashed green: "
               "recovered.</p>";
    for (const auto& chart : {latency_chart(r), throughput_chart(r), errors_chart(r), status_chart(r)})
        out += render_time_chart(chart);
    out += "</section><section id=\"distribution\"><h2>Latency distribution</h2>";
    std::vector<SpectrumSeries> spectrum{{"all requests", "#111827", &r.latency}};
    for (std::size_t i = 0; i < r.steps.size() && r.steps.size() > 1; ++i)
        spectrum.push_back({"step " + r.steps[i].name, palette_color(i), &r.steps[i].stats.latency});
    out += render_percentile_spectrum(spectrum);
    out += "</section>\n";
    return out;
}

}  // namespace faultline
