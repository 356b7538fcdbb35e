#include "driver/arrival_schedule.hpp"

#include <cmath>

namespace faultline {

ArrivalSchedule::ArrivalSchedule(double rate_per_s, std::optional<std::chrono::nanoseconds> duration,
                                 std::optional<std::uint64_t> max_arrivals, unsigned worker, unsigned workers)
    : rate_per_s_(rate_per_s),
      duration_(duration),
      max_arrivals_(max_arrivals),
      workers_(workers == 0 ? 1 : workers),
      next_index_(worker) {}

std::chrono::nanoseconds ArrivalSchedule::offset_of(std::uint64_t i) const noexcept {
    // Computed from i each time rather than accumulated, so rounding never drifts.
    const long double ns = static_cast<long double>(i) * 1e9L / static_cast<long double>(rate_per_s_);
    return std::chrono::nanoseconds{static_cast<std::int64_t>(std::llround(ns))};
}

std::optional<std::chrono::nanoseconds> ArrivalSchedule::next() noexcept {
    if (max_arrivals_ && next_index_ >= *max_arrivals_) return std::nullopt;
    const auto offset = offset_of(next_index_);
    if (duration_ && offset >= *duration_) return std::nullopt;
    next_index_ += workers_;
    return offset;
}

}  // namespace faultline
