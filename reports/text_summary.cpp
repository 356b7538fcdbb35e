#include "reports/text_summary.hpp"

#include <fmt/format.h>
#include <iterator>

#include "common/units.hpp"

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

std::string describe_load(const RunInfo& info) {
    std::string load = info.open_model ? fmt::format("open model, {:g} req/s", info.asked_rate_per_s)
                                       : fmt::format("closed model, {} VUs", info.vus);
    if (info.asked_duration) load += fmt::format(", {}", format_duration(*info.asked_duration));
    if (info.asked_requests) load += fmt::format(", {} requests", *info.asked_requests);
    return fmt::format("{}, {} connections, {} thread(s)", load, info.connections, info.threads);
}

}  // namespace

std::string format_summary(const RunResult& r) {
    std::string out;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "faultline: {} {}\n", r.info.method, r.info.url);
    fmt::format_to(o, "  {}{}\n", describe_load(r.info), r.interrupted ? "  [INTERRUPTED]" : "");
    fmt::format_to(o, "requests   {} sent in {:.3f} s, {} completed, {} with a response\n", r.requests,
                   r.duration_s, r.completed, r.responses);
    if (r.info.open_model)
        fmt::format_to(o, "rate       {:.1f} req/s achieved (asked {:g} req/s)\n", r.rps, r.info.asked_rate_per_s);
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
    for (const auto& w : r.warnings) fmt::format_to(o, "WARNING: {}\n", w);
    return out;
}

}  // namespace faultline
