#include "reports/result_json.hpp"

#include <boost/json.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

#include "reports/hdr_codec.hpp"
#include "reports/verdict_json.hpp"

namespace faultline {
namespace json = boost::json;
namespace {

// Millisecond figures keep three decimals (microsecond resolution), like the summary.
double round3(double v) { return std::round(v * 1000.0) / 1000.0; }
// Fractions keep enough digits to show one failure in a million requests.
double round6(double v) { return std::round(v * 1e6) / 1e6; }

json::object status_json(const std::vector<std::pair<int, std::uint64_t>>& codes) {
    json::object o;
    for (auto [code, n] : codes) o[std::to_string(code)] = n;
    return o;
}

json::object errors_json(const OutcomeCounts& counts) {
    json::object o;
    for (std::size_t i = 1; i < kOutcomeCount; ++i)  // every class but success, zeros included
        o[outcome_name(static_cast<Outcome>(i))] = counts.n[i];
    return o;
}

json::object latency_json(const Histogram& h) {
    const auto s = latency_stats_ms(h);
    return {{"min", round3(s.min)}, {"mean", round3(s.mean)}, {"p50", round3(s.p50)},
            {"p90", round3(s.p90)}, {"p95", round3(s.p95)}, {"p99", round3(s.p99)},
            {"p999", round3(s.p999)}, {"max", round3(s.max)}};
}

json::object lag_json(const Histogram& h) {
    const auto s = latency_stats_ms(h);
    return {{"p50", round3(s.p50)}, {"p99", round3(s.p99)}, {"max", round3(s.max)}};
}

json::object interval_json(const IntervalResult& i) {
    return {{"t_s", round3(i.t_s)},
            {"requests", i.requests},
            {"status_codes", status_json(i.status_codes)},
            {"errors", errors_json(i.errors)},
            {"error_rate", round6(i.error_rate)},
            {"p50_ms", round3(i.p50_ms)},
            {"p95_ms", round3(i.p95_ms)},
            {"p99_ms", round3(i.p99_ms)},
            {"max_ms", round3(i.max_ms)},
            {"hdr", i.hdr}};
}

json::object run_info_json(const RunInfo& info) {
    json::object o{{"scenario", info.scenario},
                   {"url", info.url},
                   {"method", info.method},
                   {"model", info.open_model ? "open" : "closed"},
                   {"connections", info.connections},
                   {"threads", info.threads},
                   {"interval_s", std::chrono::duration<double>(info.interval).count()}};
    if (info.open_model) o["rate_per_s"] = info.asked_rate_per_s;
    else o["vus"] = info.vus;
    if (info.asked_duration) o["duration_s"] = std::chrono::duration<double>(*info.asked_duration).count();
    if (info.asked_requests) o["requests"] = *info.asked_requests;
    return o;
}

// The statistics every scope shares: totals, each step, the warm-up.
json::object stats_json(const RunResult& r) {
    return json::object{
        {"duration_s", round3(r.duration_s)},
        {"requests", r.requests},
        {"completed", r.completed},
        {"responses", r.responses},
        {"rps", round3(r.rps)},
        {"status_codes", status_json(r.status_codes)},
        {"errors", errors_json(r.errors)},
        {"error_rate", round6(r.error_rate)},
        {"saturated", r.saturated},
        {"latency_ms", latency_json(r.latency)},
        {"service_time_ms", latency_json(r.service_time)},
        {"hdr", encode_compressed_base64(r.latency)},
        {"service_time_hdr", encode_compressed_base64(r.service_time)},
    };
}

json::array intervals_json(const std::vector<IntervalResult>& intervals) {
    json::array a;
    a.reserve(intervals.size());
    for (const auto& i : intervals) a.push_back(interval_json(i));
    return a;
}

json::object step_json(const StepResult& s) {
    json::object o{{"name", s.name}};
    for (const auto& kv : stats_json(s.stats)) o[kv.key()] = kv.value();
    o["intervals"] = intervals_json(s.stats.intervals);
    o["checks"] = json::object{{"status", s.checks_status},
                               {"body_contains", s.checks_body_contains},
                               {"json", s.checks_json},
                               {"latency", s.checks_latency}};
    return o;
}

}  // namespace

json::value result_to_json(const RunResult& r) {
    json::array warnings;
    for (const auto& w : r.warnings) warnings.push_back(json::string(w));
    json::array steps;
    for (const auto& s : r.steps) steps.push_back(step_json(s));
    json::object o{{"faultline_version", FAULTLINE_VERSION}, {"run", run_info_json(r.info)}, {"start_unix_ms", r.start_unix_ms}};
    if (!r.scenario_sha256.empty()) o["scenario_sha256"] = r.scenario_sha256;
    if (r.shard.count > 1) o["shard"] = json::object{{"index", r.shard.index}, {"count", r.shard.count}};
    for (const auto& kv : stats_json(r)) o[kv.key()] = kv.value();
    o["interrupted"] = r.interrupted;
    o["generator_cpu_pct"] = std::round(r.generator_cpu_pct * 10.0) / 10.0;
    o["send_lag_ms"] = lag_json(r.send_lag);
    o["loop_lag_ms"] = lag_json(r.loop_lag);
    o["send_lag_hdr"] = encode_compressed_base64(r.send_lag);
    o["loop_lag_hdr"] = encode_compressed_base64(r.loop_lag);
    o["generator_bottleneck"] = r.generator_bottleneck;
    o["warnings"] = std::move(warnings);
    if (!r.no_response_reason.empty()) o["no_response_reason"] = r.no_response_reason;
    o["intervals"] = intervals_json(r.intervals);
    o["steps"] = std::move(steps);
    if (r.warmup) o["warmup"] = stats_json(*r.warmup);
    add_verdict_json(o, r);
    return o;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
    auto tmp = path;
    tmp += fmt::format(".tmp.{}", ::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
        out << text;
        out.flush();
        if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), ec.message()));
    }
}

}  // namespace faultline
