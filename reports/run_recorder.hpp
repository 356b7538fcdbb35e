#pragma once
// One worker's sink for request results: whole-run histograms and counters plus the
// interval series. Recording is a handful of array increments; no locks, no allocation in
// steady state (an interval's histogram is encoded once when it closes). One per worker
// thread; the driver merges them after the workers stop (see RunResult).
#include <array>
#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "reports/histogram.hpp"
#include "reports/interval_series.hpp"
#include "reports/outcome.hpp"
#include "reports/status_counts.hpp"

namespace faultline {

// What one request did, as time points on the run's clock.
struct RequestSample {
    Clock_tp intended;  // when the schedule meant it to be sent (closed model: when it was)
    Clock_tp sent;      // when its first byte was written (== done when it was never sent)
    Clock_tp done;      // when it completed or failed
    int status = 0;     // HTTP status, 0 when no response
    Outcome outcome = Outcome::success;
};

class RunRecorder {
public:
    RunRecorder(Clock_tp origin, Duration interval);

    void on_issued(Clock_tp intended) {
        ++issued_;
        intervals_.on_issued(intended);
    }
    void on_dropped(Clock_tp intended);
    void on_completed(const RequestSample& s) noexcept;
    // The first message seen for a failure class, kept to explain a run that got nothing.
    void note_error(Outcome o, const std::string& message);
    void record_send_lag(Duration lag) noexcept;
    void record_loop_lag(Duration lag) noexcept;

    std::uint64_t issued() const noexcept { return issued_; }
    std::uint64_t completed() const noexcept { return completed_; }
    std::uint64_t responses() const noexcept { return responses_; }
    Clock_tp last_done() const noexcept { return last_done_; }

    const Histogram& latency() const noexcept { return latency_; }
    const Histogram& service_time() const noexcept { return service_time_; }
    const Histogram& send_lag() const noexcept { return send_lag_; }
    const Histogram& loop_lag() const noexcept { return loop_lag_; }
    const StatusCounts& status() const noexcept { return status_; }
    const OutcomeCounts& outcomes() const noexcept { return outcomes_; }
    const std::array<std::string, kOutcomeCount>& first_errors() const noexcept { return first_errors_; }
    IntervalSeries& intervals() noexcept { return intervals_; }

private:
    Histogram latency_ = Histogram::latency_us();
    Histogram service_time_ = Histogram::latency_us();
    Histogram send_lag_ = Histogram::latency_us();
    Histogram loop_lag_ = Histogram::latency_us();
    StatusCounts status_;
    OutcomeCounts outcomes_;
    std::array<std::string, kOutcomeCount> first_errors_;
    IntervalSeries intervals_;
    std::uint64_t issued_ = 0;
    std::uint64_t completed_ = 0;
    std::uint64_t responses_ = 0;
    Clock_tp last_done_{};
};

std::int64_t to_us(Duration d) noexcept;

}  // namespace faultline
