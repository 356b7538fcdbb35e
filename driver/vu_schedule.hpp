#pragma once
// PURE: how many virtual users the closed model runs over time. The target count ramps
// linearly within each stage from the previous stage's count (the first from `start_vus`);
// VU k (0-based) is active while the target is at least k + 1. Times are offsets from the
// schedule's start.
#include <chrono>
#include <optional>
#include <vector>

namespace faultline {

struct VuStage {
    std::chrono::nanoseconds duration{0};
    int vus = 0;  // reached at the end of the stage
};

class VuSchedule {
public:
    // start_vus < 0: the first stage's own count (no ramp in it).
    VuSchedule(std::vector<VuStage> stages, int start_vus);

    double target_at(std::chrono::nanoseconds t) const noexcept;
    bool active(int vu, std::chrono::nanoseconds t) const noexcept { return target_at(t) >= vu + 1 - 1e-9; }
    // The first time at or after t when VU `vu` is active; nullopt if never again.
    std::optional<std::chrono::nanoseconds> next_start(int vu, std::chrono::nanoseconds t) const noexcept;
    std::chrono::nanoseconds end() const noexcept { return end_; }
    int max_vus() const noexcept { return max_vus_; }

private:
    struct Segment {
        std::chrono::nanoseconds start, duration;
        double from, to;
    };
    std::vector<Segment> segments_;
    std::chrono::nanoseconds end_{0};
    int max_vus_ = 0;
};

}  // namespace faultline
