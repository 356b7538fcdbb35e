#pragma once
// PURE: the intended send times of a constant-rate open model, as offsets from the run's
// origin. Arrival i is intended at i / rate. With several workers, worker w of W takes
// arrivals w, w+W, w+2W, ... so the union of all workers is exactly the single-worker
// schedule (no drift from per-worker rounding).
#include <chrono>
#include <cstdint>
#include <optional>

namespace faultline {

class ArrivalSchedule {
public:
    // rate_per_s > 0. The schedule ends at the first arrival at or after `duration` (if
    // set) or after `max_arrivals` arrivals in total across all workers (if set).
    ArrivalSchedule(double rate_per_s, std::optional<std::chrono::nanoseconds> duration,
                    std::optional<std::uint64_t> max_arrivals, unsigned worker = 0, unsigned workers = 1);

    // The next arrival's offset from the origin; nullopt when the schedule is over.
    std::optional<std::chrono::nanoseconds> next() noexcept;

    // Offset of global arrival i.
    std::chrono::nanoseconds offset_of(std::uint64_t i) const noexcept;

private:
    double rate_per_s_;
    std::optional<std::chrono::nanoseconds> duration_;
    std::optional<std::uint64_t> max_arrivals_;
    unsigned workers_;
    std::uint64_t next_index_;
};

}  // namespace faultline
