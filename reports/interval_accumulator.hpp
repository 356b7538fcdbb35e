#pragma once
// Adds up one interval's closed pieces from several workers into an IntervalResult.
// Histograms are added, so the merged percentiles are exact.
#include <cstdint>

#include "reports/histogram.hpp"
#include "reports/interval_series.hpp"
#include "reports/outcome.hpp"
#include "reports/run_result.hpp"
#include "reports/status_counts.hpp"

namespace faultline {

class IntervalAccumulator {
public:
    void add(const ClosedInterval& piece);
    // The interval's figures; t_s = index * interval_s. An accumulator that got nothing gives
    // an empty interval (no requests, an empty histogram).
    IntervalResult result(std::int64_t index, double interval_s) const;

private:
    std::uint64_t requests_ = 0;
    StatusCounts status_;
    OutcomeCounts errors_;
    Histogram latency_ = Histogram::latency_us();
};

}  // namespace faultline
