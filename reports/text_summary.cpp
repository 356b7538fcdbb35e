#include "reports/text_summary.hpp"

#include <fmt/format.h>
#include <iterator>

#include "common/units.hpp"
#include "reports/thresholds.hpp"

namespace faultline {
namespace {

void append_latency_block(std::string& out, std::string_view title, const Histogram& h) {
    const auto s = latency_stats_ms(h);
    fmt::format_to(std::back_inserter(out), "{} (ms)\n", title);
    fmt::format_to(std::back_inserter(out),
                   "  min {:.3f}  mean {:.3f}  p50 {:.3f}  p90 {:.3f}  p95 {:.3f}\n"
                   "  p99 {:.3f}  p99.9 {:.3f}  max {:.3f}\n",
                   s.min, s.mean, s.p50, s.p90, s.p95, s.p99, s.p999, s.max);
}

// One line per step when the run had more than one, with its failed checks.
void append_steps(std::string& out, const RunResult& r) {
    if (r.steps.size() < 2 && (r.steps.empty() || r.steps[0].checks_status + r.steps[0].checks_body_contains +
                                                          r.steps[0].checks_json + r.steps[0].checks_latency == 0))
        return;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "steps      {:<24} {:>9} {:>8} {:>10} {:>10}  failed checks\n", "name", "requests", "errors",
                   "p50 ms", "p99 ms");
    for (const auto& s : r.steps) {
        const auto lat = latency_stats_ms(s.stats.latency);
        std::string checks;
        auto add = [&](const char* name, std::uint64_t n) {
            if (n) checks += fmt::format(" {}:{}", name, n);
        };
        add("status", s.checks_status);
        add("body", s.checks_body_contains);
        add("json", s.checks_json);
        add("latency", s.checks_latency);
        fmt::format_to(o, "           {:<24} {:>9} {:>8} {:>10.3f} {:>10.3f} {}\n", s.name, s.stats.requests,
                       s.stats.errors.failures(), lat.p50, lat.p99, checks.empty() ? " -" : checks);
    }
}

std::string describe_load(const RunInfo& info) {
    std::string load;
    if (!info.open_model) load = fmt::format("closed model, {} VUs", info.vus);
    else if (info.asked_rate_per_s > 0) load = fmt::format("open model, {:g} req/s", info.asked_rate_per_s);
    else load = "open model, staged rate";
    if (info.asked_duration) load += fmt::format(", {}", format_duration(*info.asked_duration));
    if (info.asked_requests) load += fmt::format(", {} requests", *info.asked_requests);
    return fmt::format("{}, {} connections, {} thread(s)", load, info.connections, info.threads);
}

std::string threshold_number(const std::optional<double>& v, const std::string& unit) {
    if (!v) return "-";
    if (unit == "ms") return fmt::format("{:.3f} ms", *v);
    if (unit == "fraction") return fmt::format("{:.4f}%", *v * 100.0);
    if (unit == "s") return fmt::format("{:.3f} s", *v);
    if (unit == "per_s") return fmt::format("{:.1f}/s", *v);
    if (unit == "count") return fmt::format("{:.0f}", *v);
    return fmt::format("{:g} {}", *v, unit);
}

void append_thresholds(std::string& out, const RunResult& r) {
    if (r.thresholds.empty()) return;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "thresholds\n");
    for (const auto& t : r.thresholds) {
        // Throughput and availability are floors; every other limit is a ceiling.
        const bool floor = t.name == "throughput" || t.name == "availability";
        fmt::format_to(o, "  {:<36} {:>14}  {} {:<14} {}\n", t.name, threshold_number(t.value, t.unit),
                       floor ? ">=" : "<=", threshold_number(t.limit, t.unit), t.ok ? "PASS" : "FAIL");
    }
}

std::string fault_target(const FaultWindow& w) {
    if (!w.service.empty()) return "service " + w.service;
    std::string proxies;
    for (const auto& p : w.proxies) proxies += (proxies.empty() ? "" : ",") + p;
    return "proxies " + (proxies.empty() ? std::string("-") : proxies);
}

void append_faults(std::string& out, const RunResult& r) {
    if (r.faults.empty()) return;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "faults\n");
    for (std::size_t i = 0; i < r.faults.size(); ++i) {
        const auto& f = r.faults[i];
        const auto impact = f.time_to_impact_s ? fmt::format("impact after {:.3f} s", *f.time_to_impact_s)
                                               : std::string("no impact");
        const auto recovery = f.recovery_time_s ? fmt::format("recovered {:.3f} s after the end", *f.recovery_time_s)
                                                : std::string("NOT RECOVERED");
        fmt::format_to(o, "  #{} {} on {}, {:.3f}-{:.3f} s: {}, {}; worst p99 {:.3f} ms, worst error rate {:.4f}%\n", i,
                       f.window.type, fault_target(f.window), f.window.start_s, f.window.end_s, impact, recovery,
                       f.worst_p99_ms, f.worst_error_rate * 100.0);
    }
}

}  // namespace

std::string format_summary(const RunResult& r) {
    std::string out;
    auto o = std::back_inserter(out);
    if (r.info.scenario.empty() || r.info.scenario == "adhoc") fmt::format_to(o, "faultline: {} {}\n", r.info.method, r.info.url);
    else fmt::format_to(o, "faultline: scenario {} against {}\n", r.info.scenario, r.info.url);
    fmt::format_to(o, "  {}{}\n", describe_load(r.info), r.interrupted ? "  [INTERRUPTED]" : "");
    fmt::format_to(o, "requests   {} sent in {:.3f} s, {} completed, {} with a response\n", r.requests,
                   r.duration_s, r.completed, r.responses);
    // The open model's rate counts iterations; with one step an iteration is a request.
    if (r.info.open_model && r.info.asked_rate_per_s > 0 && r.steps.size() <= 1)
        fmt::format_to(o, "rate       {:.1f} req/s achieved (asked {:g} req/s)\n", r.rps, r.info.asked_rate_per_s);
    else if (r.info.open_model && r.info.asked_rate_per_s > 0)
        fmt::format_to(o, "rate       {:.1f} req/s achieved ({} steps per iteration, asked {:g} iterations/s)\n", r.rps,
                       r.steps.size(), r.info.asked_rate_per_s);
    else
        fmt::format_to(o, "rate       {:.1f} req/s achieved\n", r.rps);
    std::string codes;
    for (auto [code, n] : r.status_codes) codes += fmt::format("  {}: {}", code, n);
    fmt::format_to(o, "status    {}\n", codes.empty() ? std::string("  none") : codes);
    std::string errors;
    for (std::size_t i = 1; i < kOutcomeCount; ++i)
        if (r.errors.n[i] > 0) errors += fmt::format("  {}: {}", outcome_name(static_cast<Outcome>(i)), r.errors.n[i]);
    fmt::format_to(o, "errors    {}  (error rate {:.4f}%)\n", errors.empty() ? std::string("  none") : errors,
                   r.error_rate * 100.0);
    append_latency_block(out, r.info.open_model ? "latency, from intended send time" : "latency", r.latency);
    if (r.info.open_model) append_latency_block(out, "service time, from actual send", r.service_time);
    fmt::format_to(o, "generator  CPU {:.1f}%  send lag p99 {:.3f} ms  loop lag p99 {:.3f} ms\n", r.generator_cpu_pct,
                   static_cast<double>(r.send_lag.value_at_percentile(99)) / 1000.0,
                   static_cast<double>(r.loop_lag.value_at_percentile(99)) / 1000.0);
    append_steps(out, r);
    if (r.warmup)
        fmt::format_to(o, "warm-up    {} requests, p99 {:.3f} ms (not in the figures above)\n", r.warmup->requests,
                       latency_stats_ms(r.warmup->latency).p99);
    append_faults(out, r);
    append_thresholds(out, r);
    for (const auto& w : r.warnings) fmt::format_to(o, "WARNING: {}\n", w);
    if (r.aborted) fmt::format_to(o, "ABORTED: {}\n", r.abort_reason);
    if (!r.thresholds.empty() || r.aborted) fmt::format_to(o, "result     {}\n", passed(r) ? "PASS" : "FAIL");
    return out;
}

}  // namespace faultline
