#include "driver/arrival_schedule.hpp"

#include <cmath>
#include <limits>

namespace faultline {
namespace {
constexpr double kForever = std::numeric_limits<double>::infinity();
double seconds(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e9; }
}  // namespace

double ArrivalSchedule::Segment::end_count() const noexcept {
    if (std::isinf(duration_s)) return kForever;
    return start_count + (rate_from + rate_to) / 2.0 * duration_s;
}

ArrivalSchedule::ArrivalSchedule(double rate_per_s, std::optional<std::chrono::nanoseconds> duration,
                                 std::optional<std::uint64_t> max_arrivals, unsigned worker, unsigned workers)
    : max_arrivals_(max_arrivals), workers_(workers == 0 ? 1 : workers), next_index_(worker) {
    segments_.push_back(Segment{0.0, duration ? seconds(*duration) : kForever, 0.0, rate_per_s, rate_per_s});
}

ArrivalSchedule::ArrivalSchedule(std::vector<RateStage> stages, double start_rate_per_s,
                                 std::optional<std::uint64_t> max_arrivals, unsigned worker, unsigned workers)
    : max_arrivals_(max_arrivals), workers_(workers == 0 ? 1 : workers), next_index_(worker) {
    build(stages, start_rate_per_s);
}

void ArrivalSchedule::build(const std::vector<RateStage>& stages, double start_rate_per_s) {
    double t = 0, count = 0;
    double rate = stages.empty() ? 0.0 : (start_rate_per_s < 0 ? stages.front().rate_per_s : start_rate_per_s);
    for (const auto& s : stages) {
        const double d = seconds(s.duration);
        if (d <= 0) continue;
        Segment seg{t, d, count, rate, s.rate_per_s};
        count = seg.end_count();
        t += d;
        rate = s.rate_per_s;
        segments_.push_back(seg);
    }
}

double ArrivalSchedule::expected_arrivals() const noexcept {
    return segments_.empty() ? 0.0 : segments_.back().end_count();
}

std::optional<std::chrono::nanoseconds> ArrivalSchedule::offset_of(std::uint64_t i) const noexcept {
    const double n_total = static_cast<double>(i);
    std::size_t k = segment_hint_ < segments_.size() && segments_[segment_hint_].start_count <= n_total ? segment_hint_ : 0;
    while (k < segments_.size() && n_total >= segments_[k].end_count()) ++k;
    if (k == segments_.size()) return std::nullopt;
    segment_hint_ = k;
    const Segment& s = segments_[k];
    const double n = n_total - s.start_count;
    double tau;
    if (s.rate_from == s.rate_to || std::isinf(s.duration_s)) {
        tau = n / s.rate_from;
    } else {
        const double slope = (s.rate_to - s.rate_from) / s.duration_s;
        const double disc = std::max(0.0, s.rate_from * s.rate_from + 2.0 * slope * n);
        const double denom = s.rate_from + std::sqrt(disc);
        tau = denom > 0 ? 2.0 * n / denom : 0.0;
    }
    const long double ns = (static_cast<long double>(s.start_s) + static_cast<long double>(tau)) * 1e9L;
    return std::chrono::nanoseconds{static_cast<std::int64_t>(std::llround(ns))};
}

std::optional<std::chrono::nanoseconds> ArrivalSchedule::next() noexcept {
    if (max_arrivals_ && next_index_ >= *max_arrivals_) return std::nullopt;
    const auto offset = offset_of(next_index_);
    if (!offset) return std::nullopt;
    next_index_ += workers_;
    return offset;
}

}  // namespace faultline
