#include "reports/verdict_json.hpp"

#include <boost/json.hpp>
#include <cmath>

namespace faultline {
namespace json = boost::json;
namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }
double round6(double v) { return std::round(v * 1e6) / 1e6; }
double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

template <class T>
json::value or_null(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value rounded_or_null(const std::optional<double>& v, double (*round)(double)) {
    return v ? json::value(round(*v)) : json::value(nullptr);
}

// Numbers keep the resolution of their unit: microseconds, one in a million, whole counts.
json::value threshold_number(const std::optional<double>& v, const std::string& unit) {
    if (!v) return nullptr;
    if (unit == "count" && *v >= 0 && *v == std::floor(*v)) return static_cast<std::uint64_t>(*v);
    if (unit == "fraction") return round6(*v);
    return round3(*v);
}

json::array latency_limits_json(const std::vector<LatencyLimit>& limits) {
    json::array a;
    for (const auto& l : limits)
        a.push_back(json::object{{"key", l.key}, {"percentile", l.percentile}, {"limit_ms", to_ms(l.limit)}});
    return a;
}

json::array strings_json(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.push_back(json::string(s));
    return a;
}

}  // namespace

json::object slo_to_json(const SloSpec& slo) {
    json::array steps;
    for (const auto& s : slo.steps)
        steps.push_back(json::object{
            {"step", s.step}, {"latency", latency_limits_json(s.latency)}, {"error_rate", or_null(s.error_rate)}});
    std::optional<double> recovery_s;
    if (slo.recovery_time) recovery_s = std::chrono::duration<double>(*slo.recovery_time).count();
    return json::object{{"latency", latency_limits_json(slo.latency)},
                        {"error_rate", or_null(slo.error_rate)},
                        {"availability", or_null(slo.availability)},
                        {"recovery_time_s", or_null(recovery_s)},
                        {"recovery_intervals", slo.recovery_intervals},
                        {"errors", or_null(slo.errors)},
                        {"throughput_per_s", or_null(slo.throughput_per_s)},
                        {"steps", std::move(steps)}};
}

json::object threshold_to_json(const ThresholdResult& t) {
    return json::object{{"name", t.name},
                        {"limit", threshold_number(t.limit, t.unit)},
                        {"value", threshold_number(t.value, t.unit)},
                        {"unit", t.unit},
                        {"ok", t.ok}};
}

json::object fault_to_json(const FaultImpact& f) {
    const auto& w = f.window;
    return json::object{{"proxies", strings_json(w.proxies)},
                        {"service", w.service.empty() ? json::value(nullptr) : json::value(w.service)},
                        {"type", w.type},
                        {"start_s", round3(w.start_s)},
                        {"end_s", round3(w.end_s)},
                        {"applied_start_s", rounded_or_null(w.applied_start_s, round3)},
                        {"applied_end_s", rounded_or_null(w.applied_end_s, round3)},
                        {"time_to_impact_s", rounded_or_null(f.time_to_impact_s, round3)},
                        {"recovery_time_s", rounded_or_null(f.recovery_time_s, round3)},
                        {"recovered", f.recovered},
                        {"worst_p99_ms", round3(f.worst_p99_ms)},
                        {"worst_error_rate", round6(f.worst_error_rate)}};
}

void add_verdict_json(json::object& o, const RunResult& r) {
    json::array thresholds;
    for (const auto& t : r.thresholds) thresholds.push_back(threshold_to_json(t));
    json::array faults;
    for (const auto& f : r.faults) faults.push_back(fault_to_json(f));
    o["slo"] = slo_to_json(r.slo);
    o["thresholds"] = std::move(thresholds);
    o["faults"] = std::move(faults);
    o["aborted"] = r.aborted;
    o["abort_reason"] = r.aborted ? json::value(r.abort_reason) : json::value(nullptr);
    o["service_logs"] = strings_json(r.service_logs);
}

}  // namespace faultline
