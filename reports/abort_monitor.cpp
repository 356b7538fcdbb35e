#include "reports/abort_monitor.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

#include "common/units.hpp"
#include "reports/health.hpp"

namespace faultline {
namespace {

constexpr std::string_view kLatencyPrefix = "latency.";

const LatencyLimit* find_latency(const SloSpec& slo, std::string_view name) {
    if (!name.starts_with(kLatencyPrefix)) return nullptr;
    const auto key = name.substr(kLatencyPrefix.size());
    const auto it = std::find_if(slo.latency.begin(), slo.latency.end(), [&](const auto& l) { return l.key == key; });
    return it == slo.latency.end() ? nullptr : &*it;
}

// One decimal for rates of a percent and more, three below ("0.050%"): an abort on 0.1 %
// must not print "0.0% > 0.1%".
std::string percent(double fraction) {
    const double pct = fraction * 100.0;
    return pct >= 1.0 ? fmt::format("{:.1f}%", pct) : fmt::format("{:.3f}%", pct);
}

}  // namespace

std::vector<std::string> abort_spec_problems(const SloSpec& slo, const AbortSpec& spec) {
    std::vector<std::string> out;
    if (spec.when.empty()) out.push_back("abort.when: names no limit");
    for (const auto& name : spec.when) {
        if (name == "error_rate") {
            if (!slo.error_rate) out.push_back("abort.when: 'error_rate' needs slo.error_rate");
        } else if (name.starts_with(kLatencyPrefix)) {
            if (!find_latency(slo, name)) out.push_back(fmt::format("abort.when: '{}' is not a limit in slo.latency", name));
        } else {
            out.push_back(fmt::format("abort.when: '{}' is neither error_rate nor latency.<key>", name));
        }
    }
    if (spec.for_duration.count() < 0) out.push_back("abort.for: must not be negative");
    return out;
}

AbortMonitor::AbortMonitor(const SloSpec& slo, const AbortSpec& spec, Duration interval)
    : for_(spec.for_duration), interval_(interval) {
    const auto problems = abort_spec_problems(slo, spec);
    if (!problems.empty()) throw std::invalid_argument(problems.front());
    if (interval.count() <= 0) throw std::invalid_argument("AbortMonitor: the interval must be positive");
    for (const auto& name : spec.when) {
        if (name == "error_rate") error_rate_ = slo.error_rate;
        else latency_.push_back(*find_latency(slo, name));
    }
}

std::string AbortMonitor::violations(const IntervalResult& i) const {
    std::string out;
    auto add = [&](const std::string& v) { out += out.empty() ? v : " and " + v; };
    if (error_rate_ && !within_rate_limit(i.error_rate, *error_rate_))
        add(fmt::format("error_rate {} > {}", percent(i.error_rate), percent(*error_rate_)));
    if (i.responses > 0) {
        for (const auto& l : latency_) {
            const double ms = interval_percentile_ms(i, l.percentile);
            if (!within_latency_limit(ms, l.limit))
                add(fmt::format("latency.{} {:.3f}ms > {}", l.key, ms, format_duration(l.limit)));
        }
    }
    return out;
}

std::optional<std::string> AbortMonitor::on_interval(const IntervalResult& i) {
    if (reason_) return reason_;
    auto v = violations(i);
    const bool empty = i.requests == 0 && i.errors.failures() == 0;
    if (!v.empty()) {
        if (streak_ == 0) streak_start_s_ = i.t_s;
        ++streak_;
        last_violation_ = std::move(v);
    } else if (empty && streak_ > 0) {
        ++streak_;
    } else {
        streak_ = 0;
    }
    // count x interval, in integer nanoseconds: `for: 10s` at 250 ms fires on the 40th.
    if (streak_ > 0 && streak_ * interval_.count() >= for_.count())
        reason_ = fmt::format("{} for {} since t={:g}s", last_violation_, format_duration(for_), streak_start_s_);
    return reason_;
}

}  // namespace faultline
