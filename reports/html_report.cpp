#include "reports/html_report.hpp"

#include <ctime>
#include <fmt/format.h>
#include <iterator>

#include "common/units.hpp"
#include "reports/html_report_charts.hpp"
#include "reports/html_report_markup.hpp"
#include "reports/html_report_style.hpp"

namespace faultline {
namespace {

std::string ms(double v) { return format_number(v, 4) + " ms"; }
std::string seconds(std::optional<double> v) { return v ? format_number(*v, 4) + " s" : "-"; }
std::string num(std::uint64_t v) { return fmt::format("{}", v); }

bool passed(const RunResult& r) {
    if (r.aborted) return false;
    for (const auto& t : r.thresholds)
        if (!t.ok) return false;
    return true;
}

std::string utc_time(std::int64_t unix_ms) {
    if (unix_ms <= 0) return "-";
    const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::string describe_load(const RunInfo& info) {
    std::string load = !info.open_model              ? fmt::format("closed model, {} VUs", info.vus)
                       : info.asked_rate_per_s > 0 ? fmt::format("open model, {} req/s", format_number(info.asked_rate_per_s))
                                                   : std::string("open model, staged rate");
    if (info.asked_duration) load += ", " + format_duration(*info.asked_duration);
    if (info.asked_requests) load += fmt::format(", {} requests", *info.asked_requests);
    return fmt::format("{}, {} connections, {} thread(s), {} intervals", load, info.connections, info.threads,
                       format_duration(info.interval));
}

void append_header(std::string& out, const RunResult& r) {
    const bool ok = passed(r);
    const std::string title = r.info.scenario.empty() || r.info.scenario == "adhoc" ? r.info.method + " " + r.info.url
                                                                                    : r.info.scenario;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "<header class=\"top\"><div><h1>faultline report: {}</h1>", xml_escape(title));
    fmt::format_to(o, "<div class=\"sub\"><span class=\"mono\">{} {}</span> · started {} · {}</div></div>",
                   xml_escape(r.info.method), xml_escape(r.info.url), utc_time(r.start_unix_ms),
                   xml_escape(describe_load(r.info)));
    fmt::format_to(o, "<div class=\"verdict {}\">{}{}</div></header>\n", ok ? "pass" : "fail", ok ? "PASS" : "FAIL",
                   r.interrupted ? " · interrupted" : "");
    if (r.aborted)
        fmt::format_to(o, "<div class=\"alert fail aborted\">Aborted by the safety stop: {}</div>",
                       xml_escape(r.abort_reason));
    if (r.interrupted) out += "<div class=\"alert\">Interrupted (SIGINT/SIGTERM): figures cover the run so far.</div>";
    if (!r.no_response_reason.empty())
        fmt::format_to(o, "<div class=\"alert fail\">{}</div>", xml_escape(r.no_response_reason));
    for (const auto& w : r.warnings) fmt::format_to(o, "<div class=\"alert warning\">{}</div>", xml_escape(w));
}

void append_cards(std::string& out, const RunResult& r) {
    const auto lat = latency_stats_ms(r.latency);
    const std::pair<const char*, std::string> cards[] = {
        {"requests", num(r.requests)},          {"throughput", format_number(r.rps, 4) + "/s"},
        {"error rate", format_percent(r.error_rate)}, {"p50", ms(lat.p50)},
        {"p99", ms(lat.p99)},                   {"max", ms(lat.max)}};
    out += "<div class=\"cards\">";
    for (const auto& [k, v] : cards)
        fmt::format_to(std::back_inserter(out), "<div class=\"card\"><div class=\"k\">{}</div><div class=\"v\">{}</div></div>",
                       k, xml_escape(v));
    out += "</div>\n";
}

std::string latency_row(const Histogram& h) {
    const auto s = latency_stats_ms(h);
    return fmt::format("min {} · mean {} · p50 {} · p90 {} · p95 {} · p99 {} · p99.9 {} · max {}", ms(s.min),
                       ms(s.mean), ms(s.p50), ms(s.p90), ms(s.p95), ms(s.p99), ms(s.p999), ms(s.max));
}

void append_summary(std::string& out, const RunResult& r) {
    std::string codes, errors;
    for (auto [code, n] : r.status_codes) codes += fmt::format("{}{}: {}", codes.empty() ? "" : " · ", code, n);
    for (std::size_t i = 1; i < kOutcomeCount; ++i)
        if (r.errors.n[i] > 0)
            errors += fmt::format("{}{}: {}", errors.empty() ? "" : " · ", outcome_name(static_cast<Outcome>(i)),
                                  r.errors.n[i]);
    const std::pair<const char*, std::string> rows[] = {
        {"duration", format_number(r.duration_s, 5) + " s"},
        {"requests", fmt::format("{} issued, {} completed, {} with a response", r.requests, r.completed, r.responses)},
        {"throughput", format_number(r.rps, 5) + " completions/s"},
        {"error rate", format_percent(r.error_rate)},
        {"status codes", codes.empty() ? "none" : codes},
        {"errors", errors.empty() ? "none" : errors},
        {"latency (from intended send)", latency_row(r.latency)},
        {"service time (from actual send)", latency_row(r.service_time)},
        {"latencies clamped at 1 h", num(r.saturated)},
        {"generator CPU", format_number(r.generator_cpu_pct, 3) + "%"}};
    out += "<section id=\"summary\"><h2>Summary</h2><table class=\"summary\">";
    for (const auto& [k, v] : rows)
        fmt::format_to(std::back_inserter(out), "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", k, xml_escape(v));
    out += "</table></section>\n";
}

std::string threshold_value(std::optional<double> v, const std::string& unit) {
    if (!v) return "-";
    if (unit == "fraction") return format_percent(*v);
    return format_number(*v, 5) + (unit.empty() || unit == "count" ? "" : " " + unit);
}

void append_thresholds(std::string& out, const RunResult& r) {
    out += "<section id=\"thresholds\"><h2>Thresholds</h2>";
    if (r.thresholds.empty()) {
        out += "<p class=\"empty\">No thresholds (no <code>slo:</code> in the scenario).</p></section>\n";
        return;
    }
    out += "<table class=\"thresholds\"><tr><th>threshold</th><th>limit</th><th>value</th><th>result</th></tr>";
    for (const auto& t : r.thresholds)
        fmt::format_to(std::back_inserter(out),
                       "<tr class=\"threshold {0}\"><td class=\"mono\">{1}</td><td class=\"num\">{2}</td>"
                       "<td class=\"num\">{3}</td><td><span class=\"badge {0}\">{4}</span></td></tr>",
                       t.ok ? "pass" : "fail", xml_escape(t.name), xml_escape(threshold_value(t.limit, t.unit)),
                       xml_escape(threshold_value(t.value, t.unit)), t.ok ? "PASS" : "FAIL");
    out += "</table></section>\n";
}

void append_faults(std::string& out, const RunResult& r) {
    if (r.faults.empty()) return;
    out += "<section id=\"faults\"><h2>Faults</h2><table class=\"faults\"><tr><th>#</th><th>fault</th><th>window</th>"
           "<th>applied</th><th>time to impact</th><th>recovery time</th><th>worst p99</th><th>worst error rate</th></tr>";
    for (std::size_t i = 0; i < r.faults.size(); ++i) {
        const auto& f = r.faults[i];
        const std::string applied = f.window.applied_start_s
                                        ? seconds(f.window.applied_start_s) + " – " + seconds(f.window.applied_end_s)
                                        : std::string("never applied");
        const std::string recovery = f.recovered ? seconds(f.recovery_time_s) : std::string("not recovered");
        fmt::format_to(std::back_inserter(out),
                       "<tr class=\"fault-row\" data-fault=\"{}\"><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{} – {}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><span class=\"badge {}\">{}</span></td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                       i, i + 1, xml_escape(describe_fault_target(f.window)), seconds(f.window.start_s),
                       seconds(f.window.end_s), xml_escape(applied),
                       f.time_to_impact_s ? seconds(f.time_to_impact_s) : std::string("no impact"),
                       f.recovered ? "pass" : "fail", xml_escape(recovery), ms(f.worst_p99_ms),
                       format_percent(f.worst_error_rate));
    }
    out += "</table></section>\n";
}

std::string failed_checks(const StepResult& s) {
    std::string out;
    const std::pair<const char*, std::uint64_t> checks[] = {{"status", s.checks_status},
                                                            {"body", s.checks_body_contains},
                                                            {"json", s.checks_json},
                                                            {"latency", s.checks_latency}};
    for (const auto& [name, n] : checks)
        if (n > 0) out += fmt::format("{}{}: {}", out.empty() ? "" : " · ", name, n);
    return out.empty() ? "-" : out;
}

void append_steps(std::string& out, const RunResult& r) {
    if (r.steps.empty()) return;
    out += "<section id=\"steps\"><h2>Steps</h2><table class=\"steps\"><tr><th>step</th><th>requests</th><th>req/s</th>"
           "<th>errors</th><th>error rate</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>failed checks</th></tr>";
    for (const auto& s : r.steps) {
        const auto lat = latency_stats_ms(s.stats.latency);
        fmt::format_to(std::back_inserter(out),
                       "<tr class=\"step\"><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                       xml_escape(s.name), s.stats.requests, format_number(s.stats.rps, 4), s.stats.errors.failures(),
                       format_percent(s.stats.error_rate), ms(lat.p50), ms(lat.p95), ms(lat.p99), ms(lat.max),
                       xml_escape(failed_checks(s)));
    }
    out += "</table></section>\n";
}

}  // namespace

std::string render_html_report(const RunResult& r) {
    std::string out;
    out.reserve(64 * 1024);
    auto o = std::back_inserter(out);
    const std::string scenario = r.info.scenario.empty() ? std::string("adhoc") : r.info.scenario;
    out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    fmt::format_to(o, "<title>faultline: {}</title><style>{}</style></head>\n", xml_escape(scenario), kHtmlReportCss);
    fmt::format_to(o, "<body data-verdict=\"{}\"><main>\n", passed(r) ? "pass" : "fail");
    append_header(out, r);
    append_cards(out, r);
    append_thresholds(out, r);
    append_faults(out, r);
    out += render_report_charts(r);
    append_steps(out, r);
    append_summary(out, r);
    fmt::format_to(o, "<footer>Generated by faultline {} from the run result. Latency is measured from each request's "
                      "intended send time (corrected for coordinated omission).</footer>\n</main></body></html>\n",
                   FAULTLINE_VERSION);
    return out;
}

}  // namespace faultline
