#pragma once
// A synthetic RunResult for the report tests and emitters (html, junit, hdr log): two steps,
// two fault windows, thresholds that pass and fail, deterministic latencies. Header-only so
// the Catch2 tests and the small emitter programs share it.
#include <chrono>
#include <cstdint>
#include <string>

#include "reports/hdr_codec.hpp"
#include "reports/run_result.hpp"

namespace faultline::test {

struct SampleOptions {
    int intervals = 40;
    std::string step_a = "login";
    std::string step_b = "get item, page 2";  // a comma and a space: hdr-log tags sanitise them
    std::string scenario = "checkout <chaos> & \"friends\"";
    bool faults = true;
};

// Deterministic pseudo-random numbers (SplitMix64).
struct SampleRng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
};

inline void fill_interval(IntervalResult& i, const Histogram& h, std::uint64_t ok, std::uint64_t errors_5xx) {
    const auto s = latency_stats_ms(h);
    i.requests = ok + errors_5xx;
    i.responses = ok + errors_5xx;
    i.errors[Outcome::success] = ok;
    i.errors[Outcome::http_5xx] = errors_5xx;
    i.status_codes.clear();
    if (ok) i.status_codes.emplace_back(200, ok);
    if (errors_5xx) i.status_codes.emplace_back(503, errors_5xx);
    i.error_rate = error_rate(i.errors, i.requests);
    i.p50_ms = s.p50;
    i.p95_ms = s.p95;
    i.p99_ms = s.p99;
    i.max_ms = s.max;
    i.hdr = encode_compressed_base64(h);
}

inline void add_totals(RunResult& r, const IntervalResult& i, const Histogram& h) {
    r.requests += i.requests;
    r.completed += i.requests;
    r.responses += i.responses;
    r.errors.add(i.errors);
    r.latency.add(h);
    r.service_time.add(h);
}

// Step a is fast, step b slower; during a fault window both slow down and b sees 503s.
inline RunResult make_sample_result(const SampleOptions& o = {}) {
    RunResult r;
    r.info.scenario = o.scenario;
    r.info.url = "http://127.0.0.1:8080/api?q=<x>&y=1";
    r.info.asked_rate_per_s = 200;
    r.info.connections = 16;
    r.info.asked_duration = std::chrono::seconds(o.intervals);
    r.start_unix_ms = 1'700'000'000'123;
    r.duration_s = o.intervals;
    r.steps.resize(2);
    r.steps[0].name = o.step_a;
    r.steps[1].name = o.step_b;
    SampleRng rng{42};
    for (int n = 0; n < o.intervals; ++n) {
        const bool fault = o.faults && ((n >= 10 && n < 16) || (n >= 25 && n < 30));
        Histogram total = Histogram::latency_us();
        IntervalResult all;
        all.t_s = n;
        std::uint64_t ok_all = 0, err_all = 0;
        for (int s = 0; s < 2; ++s) {
            Histogram h = Histogram::latency_us();
            const int count = 100 + static_cast<int>(rng.between(0, 20));
            const std::int64_t base = (s == 0 ? 2'000 : 8'000) * (fault ? 25 : 1);
            for (int k = 0; k < count; ++k) h.record(base + rng.between(0, base));
            const std::uint64_t errors = fault && s == 1 ? 20 : 0;
            IntervalResult step_interval;
            step_interval.t_s = n;
            fill_interval(step_interval, h, static_cast<std::uint64_t>(count) - errors, errors);
            add_totals(r.steps[s].stats, step_interval, h);
            r.steps[s].stats.intervals.push_back(step_interval);
            total.add(h);
            ok_all += static_cast<std::uint64_t>(count) - errors;
            err_all += errors;
        }
        fill_interval(all, total, ok_all, err_all);
        add_totals(r, all, total);
        r.intervals.push_back(std::move(all));
    }
    for (auto* x : {&r, &r.steps[0].stats, &r.steps[1].stats}) {
        x->error_rate = error_rate(x->errors, x->requests);
        x->duration_s = o.intervals;
        x->rps = o.intervals > 0 ? static_cast<double>(x->completed) / o.intervals : 0;
        StatusCounts codes;
        for (const auto& i : x->intervals)
            for (auto [code, c] : i.status_codes) codes.count(code, c);
        x->status_codes = codes.sparse();
    }
    r.steps[1].checks_json = 3;
    r.steps[1].checks_status = 1;
    if (o.faults) {
        FaultImpact a;
        a.window = {{"api"}, "", "latency", 10, 16, 10.01, 16.0};
        a.time_to_impact_s = 0.5;
        a.recovery_time_s = 2.0;
        a.recovered = true;
        a.worst_p99_ms = 400;
        FaultImpact b;
        b.window = {{}, "db <primary>", "kill", 25, 30, 25.0, 30.02};
        b.time_to_impact_s = 1.0;
        b.worst_p99_ms = 420;
        b.worst_error_rate = 0.1;
        r.faults = {a, b};
    }
    r.thresholds = {{"latency.p99", 250.0, latency_stats_ms(r.latency).p99, "ms", false},
                    {"error_rate", 0.05, r.error_rate, "fraction", true},
                    {"steps.login.latency.p95", 50.0, latency_stats_ms(r.steps[0].stats.latency).p95, "ms", false},
                    {"recovery_time.0", 5.0, 2.0, "s", true},
                    {"recovery_time.1", 5.0, std::nullopt, "s", false}};
    r.warnings = {"sends ran late: <b>bold</b> & co"};
    return r;
}

}  // namespace faultline::test
