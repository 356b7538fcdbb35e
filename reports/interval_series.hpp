#pragma once
// Per-interval statistics for one worker, keyed by each request's *intended* send time.
//
// An interval stays open while a request intended in it can still complete; it closes once
// the worker has issued requests past its end and none of its requests is outstanding.
// Closing encodes its histogram (compressed V2) and gives the histogram back to a small
// pool, so memory depends on how many intervals are open at once (usually two or three),
// never on the run's length. Not thread-safe: one per worker thread.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "reports/histogram.hpp"
#include "reports/outcome.hpp"
#include "reports/status_counts.hpp"

namespace faultline {

struct ClosedInterval {
    std::int64_t index = 0;  // interval number since the run's origin
    std::uint64_t requests = 0;
    std::vector<std::pair<int, std::uint64_t>> status_codes;
    OutcomeCounts errors;
    std::vector<std::uint8_t> hdr_compressed;  // corrected latency in us, compressed V2
};

class IntervalSeries {
public:
    IntervalSeries(Clock_tp origin, Duration interval);

    // A request intended at `intended` was accepted (sent or queued).
    void on_issued(Clock_tp intended);
    // An arrival intended at `intended` found no room and was dropped.
    void on_dropped(Clock_tp intended);
    // A request issued earlier completed. latency_us < 0: no response (error classes only).
    void on_completed(Clock_tp intended, Outcome outcome, int status, std::int64_t latency_us) noexcept;

    // Closes every interval that ends at or before the latest issued intended time and has
    // nothing outstanding. Called from the worker's periodic tick.
    void close_ready();
    // Closes everything (end of run; outstanding requests have been accounted for).
    void close_all();

    std::vector<ClosedInterval>& closed() noexcept { return closed_; }
    Duration interval() const noexcept { return interval_; }

private:
    struct Open {
        std::uint64_t requests = 0;
        std::uint64_t outstanding = 0;
        StatusCounts status;
        OutcomeCounts errors;
        Histogram latency = Histogram::latency_us();
        void reset() noexcept;
    };

    std::int64_t index_of(Clock_tp t) const noexcept;
    // The open interval for `index`, opening intervals up to it; nullptr when it has closed
    // already (cannot happen for intended times, which only move forward per worker).
    Open* open_for(std::int64_t index);
    void close_front();

    Clock_tp origin_;
    Duration interval_;
    std::int64_t first_open_index_ = 0;
    std::deque<std::unique_ptr<Open>> open_;
    std::vector<std::unique_ptr<Open>> pool_;
    std::vector<ClosedInterval> closed_;
    Clock_tp latest_issued_{};
};

}  // namespace faultline
