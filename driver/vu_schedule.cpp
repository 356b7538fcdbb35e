#include "driver/vu_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace faultline {

VuSchedule::VuSchedule(std::vector<VuStage> stages, int start_vus) {
    double from = stages.empty() ? 0.0 : static_cast<double>(start_vus < 0 ? stages.front().vus : start_vus);
    max_vus_ = static_cast<int>(from);
    for (const auto& s : stages) {
        if (s.duration.count() <= 0) continue;
        segments_.push_back(Segment{end_, s.duration, from, static_cast<double>(s.vus)});
        end_ += s.duration;
        from = s.vus;
        max_vus_ = std::max(max_vus_, s.vus);
    }
}

double VuSchedule::target_at(std::chrono::nanoseconds t) const noexcept {
    for (const auto& s : segments_) {
        if (t < s.start + s.duration) {
            const double f = static_cast<double>((t - s.start).count()) / static_cast<double>(s.duration.count());
            return s.from + (s.to - s.from) * std::max(0.0, f);
        }
    }
    return 0.0;  // after the last stage nobody runs
}

std::optional<std::chrono::nanoseconds> VuSchedule::next_start(int vu, std::chrono::nanoseconds t) const noexcept {
    const double need = vu + 1;
    for (const auto& s : segments_) {
        const auto seg_end = s.start + s.duration;
        if (seg_end <= t) continue;
        const auto from_t = std::max(t, s.start);
        if (target_at(from_t) >= need - 1e-9) return from_t;
        if (s.to > s.from && s.to >= need) {
            // Linear ramp up: solve from + (to - from) * f = need for f.
            const double f = (need - s.from) / (s.to - s.from);
            const auto at = s.start + std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil(f * static_cast<double>(s.duration.count()))));
            if (at < seg_end) return std::max(at, from_t);
        }
    }
    return std::nullopt;
}

}  // namespace faultline
