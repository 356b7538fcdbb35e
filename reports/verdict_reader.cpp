#include "reports/verdict_reader.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "reports/result_reader.hpp"

namespace faultline {
namespace {

Duration milliseconds(double ms) { return Duration(std::llround(ms * 1e6)); }

std::optional<double> opt_number(const JsonField& f, std::string_view key) {
    if (auto v = f.find(key)) return v->number();
    return std::nullopt;
}

std::vector<LatencyLimit> read_latency_limits(const JsonField& f) {
    std::vector<LatencyLimit> out;
    for (std::size_t i = 0; i < f.size(); ++i) {
        const auto l = f[i];
        out.push_back({l["key"].string(), l["percentile"].number(), milliseconds(l["limit_ms"].number())});
    }
    return out;
}

ThresholdResult read_threshold(const JsonField& f) {
    return {f["name"].string(), opt_number(f, "limit"), opt_number(f, "value"), f["unit"].string(), f["ok"].boolean()};
}

FaultImpact read_fault(const JsonField& f) {
    FaultImpact x;
    x.window.proxies = f["proxies"].strings();
    if (auto s = f.find("service")) x.window.service = s->string();
    x.window.type = f["type"].string();
    x.window.start_s = f["start_s"].number();
    x.window.end_s = f["end_s"].number();
    x.window.applied_start_s = opt_number(f, "applied_start_s");
    x.window.applied_end_s = opt_number(f, "applied_end_s");
    x.time_to_impact_s = opt_number(f, "time_to_impact_s");
    x.recovery_time_s = opt_number(f, "recovery_time_s");
    x.recovered = f["recovered"].boolean();
    x.worst_p99_ms = f["worst_p99_ms"].number();
    x.worst_error_rate = f["worst_error_rate"].number();
    return x;
}

}  // namespace

SloSpec read_slo(const JsonField& f) {
    SloSpec slo;
    if (auto l = f.find("latency")) slo.latency = read_latency_limits(*l);
    slo.error_rate = opt_number(f, "error_rate");
    slo.availability = opt_number(f, "availability");
    if (auto v = f.find("recovery_time_s")) slo.recovery_time = Duration(std::llround(v->number() * 1e9));
    if (auto v = f.find("recovery_intervals")) {
        slo.recovery_intervals = static_cast<int>(v->integer());
        if (slo.recovery_intervals < 1) v->fail("must be at least 1");
    }
    if (auto v = f.find("errors")) slo.errors = v->count();
    slo.throughput_per_s = opt_number(f, "throughput_per_s");
    if (auto steps = f.find("steps")) {
        for (std::size_t i = 0; i < steps->size(); ++i) {
            const auto s = (*steps)[i];
            StepSlo step;
            step.step = s["step"].string();
            if (auto l = s.find("latency")) step.latency = read_latency_limits(*l);
            step.error_rate = opt_number(s, "error_rate");
            slo.steps.push_back(std::move(step));
        }
    }
    return slo;
}

void read_verdict(const JsonField& root, RunResult& r) {
    if (auto s = root.find("slo")) r.slo = read_slo(*s);
    if (auto t = root.find("thresholds"))
        for (std::size_t i = 0; i < t->size(); ++i) r.thresholds.push_back(read_threshold((*t)[i]));
    if (auto t = root.find("faults"))
        for (std::size_t i = 0; i < t->size(); ++i) r.faults.push_back(read_fault((*t)[i]));
    if (auto a = root.find("aborted")) r.aborted = a->boolean();
    if (auto a = root.find("abort_reason")) r.abort_reason = a->string();
    if (auto l = root.find("service_logs")) r.service_logs = l->strings();
}

}  // namespace faultline
