#pragma once
// The `abort:` safety stop (docs/recovery.md, "Abort"). Pure: the driver feeds it each
// interval as it closes, in order; it never reads a clock. Not thread-safe (one per run,
// fed from the thread that closes intervals).
//
// An interval violates when any limit named in AbortSpec::when fails in it:
//   error_rate      interval error rate > slo.error_rate
//   latency.<key>   interval percentile > the slo.latency limit with that key
// An interval without a response cannot violate a latency limit; it violates error_rate
// only through its error rate, i.e. when it had failures (requests that all timed out give
// 100 %). An empty interval (nothing issued, nothing failed) is neutral: it continues a
// streak of violations but never starts one, so a stalled closed model keeps counting.
// A healthy interval ends the streak. The stop fires when the streak (violating intervals
// plus the neutral ones inside it) covers at least `for`: count x interval >= for.
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "reports/run_result.hpp"
#include "reports/slo.hpp"

namespace faultline {

// Every name in spec.when that does not name a global limit of slo, as messages
// ("abort.when: 'latency.p90' is not a limit in slo.latency"). Empty when usable.
std::vector<std::string> abort_spec_problems(const SloSpec& slo, const AbortSpec& spec);

class AbortMonitor {
public:
    // Throws std::invalid_argument when abort_spec_problems() is not empty or interval <= 0.
    AbortMonitor(const SloSpec& slo, const AbortSpec& spec, Duration interval);

    // Judges the next interval. Returns the reason once the stop condition is met, e.g.
    // "error_rate 12.0% > 1.0% and latency.p99 523.000ms > 250ms for 10s since t=40s";
    // every later call returns the same reason.
    std::optional<std::string> on_interval(const IntervalResult& i);

    bool triggered() const noexcept { return reason_.has_value(); }
    const std::optional<std::string>& reason() const noexcept { return reason_; }

private:
    // What fails in the interval, "" when nothing does.
    std::string violations(const IntervalResult& i) const;

    std::optional<double> error_rate_;         // set when "error_rate" is named
    std::vector<LatencyLimit> latency_;        // the named latency limits
    Duration for_;
    Duration interval_;
    std::int64_t streak_ = 0;                  // intervals in the current streak
    double streak_start_s_ = 0;
    std::string last_violation_;
    std::optional<std::string> reason_;
};

}  // namespace faultline
