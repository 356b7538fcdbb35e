#pragma once
// Intervals as they close during a run, for the live consumers (abort monitor, progress
// line). Workers publish each closed interval of their totals (once per interval, so the
// lock is taken once per second per worker, never per request); the control thread takes
// the intervals every worker has closed, merged exactly, in order.
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "reports/interval_accumulator.hpp"
#include "reports/interval_series.hpp"
#include "reports/run_result.hpp"

namespace faultline {

class LiveIntervals {
public:
    LiveIntervals(std::size_t workers, Duration interval);

    // Any worker thread: one closed interval of that worker's totals.
    void publish(const ClosedInterval& piece);
    // Control thread: the intervals that every worker has closed since the last call.
    std::vector<IntervalResult> take_complete();

private:
    struct Pending {
        IntervalAccumulator acc;
        std::size_t pieces = 0;
    };
    std::mutex mutex_;
    std::size_t workers_;
    double interval_s_;
    std::map<std::int64_t, Pending> pending_;
};

}  // namespace faultline
