#include "reports/run_result.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "reports/hdr_codec.hpp"
#include "reports/interval_accumulator.hpp"

namespace faultline {
namespace {

double us_to_ms(std::int64_t us) { return static_cast<double>(us) / 1000.0; }

std::vector<IntervalResult> merge_intervals(const std::vector<RunRecorder*>& recorders, Duration interval,
                                            double duration_s) {
    std::map<std::int64_t, IntervalAccumulator> by_index;
    for (auto* r : recorders)
        for (auto& c : r->intervals().closed()) by_index[c.index].add(c);
    const double interval_s = std::chrono::duration<double>(interval).count();
    // Every interval from the origin to the end appears, empty ones included: a stall in the
    // closed model issues nothing, and that silence is itself a finding.
    std::int64_t last = by_index.empty() ? -1 : by_index.rbegin()->first;
    // The run's last interval, partial ones included, but not one the run only grazed: a
    // 60 s run that stopped at 60.001 s has 60 one-second intervals, not 61.
    if (duration_s > 0)
        last = std::max(last, static_cast<std::int64_t>(std::ceil(duration_s / interval_s - 0.01)) - 1);
    std::vector<IntervalResult> out;
    out.reserve(static_cast<std::size_t>(last + 1));
    const IntervalAccumulator empty;
    for (std::int64_t i = 0; i <= last; ++i) {
        auto it = by_index.find(i);
        out.push_back((it != by_index.end() ? it->second : empty).result(i, interval_s));
    }
    return out;
}

std::string explain_no_response(const RunResult& r, const std::vector<RunRecorder*>& recorders) {
    if (r.responses > 0) return {};
    if (r.requests == 0) return "no request was sent";
    // Name the most frequent failure class and the first message seen for it.
    std::size_t worst = 0;
    for (std::size_t i = 1; i < kOutcomeCount; ++i)
        if (r.errors.n[i] > r.errors.n[worst]) worst = i;
    std::string message;
    for (auto* rec : recorders)
        if (message.empty()) message = rec->first_errors()[worst];
    const auto name = outcome_name(static_cast<Outcome>(worst));
    return message.empty() ? fmt::format("no request got an HTTP response ({}: {})", name, r.errors.n[worst])
                           : fmt::format("no request got an HTTP response ({}: {}): {}", name,
                                         r.errors.n[worst], message);
}

}  // namespace

LatencyStatsMs latency_stats_ms(const Histogram& us) {
    LatencyStatsMs s;
    if (us.total_count() == 0) return s;
    s.min = us_to_ms(us.min());
    s.mean = us.mean() / 1000.0;
    s.p50 = us_to_ms(us.value_at_percentile(50));
    s.p90 = us_to_ms(us.value_at_percentile(90));
    s.p95 = us_to_ms(us.value_at_percentile(95));
    s.p99 = us_to_ms(us.value_at_percentile(99));
    s.p999 = us_to_ms(us.value_at_percentile(99.9));
    s.max = us_to_ms(us.max());
    return s;
}

RunResult merge_recorders(std::vector<RunRecorder*> recorders, const MergeInputs& in) {
    RunResult r;
    r.info = in.info;
    r.start_unix_ms = in.start_unix_ms;
    r.interrupted = in.interrupted;
    StatusCounts status;
    Clock_tp last_done = in.origin;
    for (auto* rec : recorders) {
        r.requests += rec->issued();
        r.completed += rec->completed();
        r.responses += rec->responses();
        status.add(rec->status());
        r.errors.add(rec->outcomes());
        r.latency.add(rec->latency());
        r.service_time.add(rec->service_time());
        r.send_lag.add(rec->send_lag());
        r.loop_lag.add(rec->loop_lag());
        last_done = std::max(last_done, rec->last_done());
    }
    r.status_codes = status.sparse();
    r.error_rate = error_rate(r.errors, r.requests);
    r.saturated = r.latency.saturated();
    r.duration_s = std::chrono::duration<double>(last_done - in.origin).count();
    r.rps = r.duration_s > 0 ? static_cast<double>(r.completed) / r.duration_s : 0.0;
    const double wall_s = std::chrono::duration<double>(in.wall_time).count();
    r.generator_cpu_pct = wall_s > 0 ? 100.0 * std::chrono::duration<double>(in.cpu_time).count() / wall_s : 0.0;
    r.intervals = merge_intervals(recorders, in.info.interval, r.duration_s);
    r.no_response_reason = explain_no_response(r, recorders);
    return r;
}

}  // namespace faultline

namespace faultline {

void add_generator_warnings(RunResult& r) {
    const auto p99_ms = [](const Histogram& h) { return static_cast<double>(h.value_at_percentile(99)) / 1000.0; };
    const std::size_t before = r.warnings.size();
    const double cpu_limit = kBottleneckCpuPctPerThread * std::max(1, r.info.threads);
    if (r.generator_cpu_pct >= cpu_limit)
        r.warnings.push_back(fmt::format(
            "generator CPU at {:.0f}% of {} thread(s): faultline itself may have been the bottleneck; "
            "add --threads or lower the load",
            r.generator_cpu_pct, r.info.threads));
    const double send_lag_p99_ms = p99_ms(r.send_lag);
    if (r.info.open_model && r.send_lag.total_count() > 0 && send_lag_p99_ms > kBottleneckSendLagP99Ms)
        r.warnings.push_back(fmt::format(
            "sends ran late: send lag P99 {:.3f} ms; the generator could not keep the schedule "
            "(latency stays measured from the intended time)",
            send_lag_p99_ms));
    const double loop_lag_p99_ms = p99_ms(r.loop_lag);
    if (r.loop_lag.total_count() > 0 && loop_lag_p99_ms > kBottleneckLoopLagP99Ms)
        r.warnings.push_back(fmt::format(
            "event loop ran late: loop lag P99 {:.3f} ms; completions were seen late, so latencies "
            "may be overstated; add --threads or lower the load",
            loop_lag_p99_ms));
    r.generator_bottleneck = r.generator_bottleneck || r.warnings.size() > before;
    if (r.errors[Outcome::dropped] > 0)
        r.warnings.push_back(fmt::format(
            "{} arrivals dropped: every connection was busy and the pending queue full; raise "
            "--connections or --max-pending, or the target is saturated",
            r.errors[Outcome::dropped]));
    if (r.saturated > 0)
        r.warnings.push_back(fmt::format("{} latencies exceeded 1 h and were clamped", r.saturated));
}

}  // namespace faultline
