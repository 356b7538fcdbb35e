#pragma once
// PURE: the intended send times of an open model, as offsets from the run's origin.
//
// The rate is piecewise linear: each stage ramps from the previous stage's rate (the first
// from `start_rate`) to its own rate over its duration. Arrival i is intended at the time t
// where the expected arrival count N(t) = integral of rate(t) reaches i. Within a stage that
// starts at rate a and ends at rate b after D seconds:
//
//     N(tau) = a*tau + (b - a)/(2D) * tau^2          (tau = time into the stage)
//     tau(n) = 2n / (a + sqrt(a^2 + 2(b - a)n/D))    (n = arrivals into the stage)
//
// the second form is the stable root of the quadratic, and is exact for a == b (tau = n/a)
// and for a ramp from zero (tau = sqrt(2nD/b)). Each offset is computed from its index, so
// rounding never accumulates. With several workers, worker w of W takes arrivals w, w+W,
// w+2W, ... so the union of all workers is exactly the single-worker schedule.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace faultline {

struct RateStage {
    std::chrono::nanoseconds duration{0};
    double rate_per_s = 0;  // the rate reached at the end of the stage
};

class ArrivalSchedule {
public:
    // Constant rate (> 0) until `duration` (if set) or `max_arrivals` in total (if set).
    ArrivalSchedule(double rate_per_s, std::optional<std::chrono::nanoseconds> duration,
                    std::optional<std::uint64_t> max_arrivals, unsigned worker = 0, unsigned workers = 1);
    // Ramping stages; start_rate_per_s < 0 means the first stage's own rate (no ramp in it).
    ArrivalSchedule(std::vector<RateStage> stages, double start_rate_per_s,
                    std::optional<std::uint64_t> max_arrivals, unsigned worker = 0, unsigned workers = 1);

    // The next arrival's offset from the origin; nullopt when the schedule is over.
    std::optional<std::chrono::nanoseconds> next() noexcept;

    // Offset of global arrival i; nullopt when i falls after the last stage.
    std::optional<std::chrono::nanoseconds> offset_of(std::uint64_t i) const noexcept;

    // Expected number of arrivals over the whole schedule (sum of the stages' areas).
    double expected_arrivals() const noexcept;

private:
    struct Segment {
        double start_s;      // offset of the stage's start
        double duration_s;   // > 0, or infinite for an open-ended constant rate
        double start_count;  // expected arrivals before the stage
        double rate_from;
        double rate_to;
        double end_count() const noexcept;
    };
    void build(const std::vector<RateStage>& stages, double start_rate_per_s);

    std::vector<Segment> segments_;
    std::optional<std::uint64_t> max_arrivals_;
    unsigned workers_;
    std::uint64_t next_index_;
    mutable std::size_t segment_hint_ = 0;  // arrivals come in order: search from the last stage used
};

}  // namespace faultline
