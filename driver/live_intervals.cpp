#include "driver/live_intervals.hpp"

namespace faultline {

LiveIntervals::LiveIntervals(std::size_t workers, Duration interval)
    : workers_(workers), interval_s_(std::chrono::duration<double>(interval).count()) {}

void LiveIntervals::publish(const ClosedInterval& piece) {
    std::lock_guard lock(mutex_);
    auto& p = pending_[piece.index];
    p.acc.add(piece);
    ++p.pieces;
}

std::vector<IntervalResult> LiveIntervals::take_complete() {
    std::vector<IntervalResult> out;
    std::lock_guard lock(mutex_);
    // Each worker closes its intervals in order, so the complete ones form a prefix.
    while (!pending_.empty() && pending_.begin()->second.pieces >= workers_) {
        out.push_back(pending_.begin()->second.acc.result(pending_.begin()->first, interval_s_));
        pending_.erase(pending_.begin());
    }
    return out;
}

}  // namespace faultline
