#include "reports/interval_series.hpp"

#include "reports/hdr_codec.hpp"

namespace faultline {

void IntervalSeries::Open::reset() noexcept {
    requests = 0;
    outstanding = 0;
    status = StatusCounts{};
    errors = OutcomeCounts{};
    latency.reset();
}

IntervalSeries::IntervalSeries(Clock_tp origin, Duration interval)
    : origin_(origin), interval_(interval), latest_issued_(origin) {}

std::int64_t IntervalSeries::index_of(Clock_tp t) const noexcept {
    if (t <= origin_) return 0;
    return (t - origin_) / interval_;
}

IntervalSeries::Open* IntervalSeries::open_for(std::int64_t index) {
    if (index < first_open_index_) return nullptr;
    while (first_open_index_ + static_cast<std::int64_t>(open_.size()) <= index) {
        if (pool_.empty()) {
            open_.push_back(std::make_unique<Open>());
        } else {
            open_.push_back(std::move(pool_.back()));
            pool_.pop_back();
        }
    }
    return open_[static_cast<std::size_t>(index - first_open_index_)].get();
}

void IntervalSeries::on_issued(Clock_tp intended) {
    if (intended > latest_issued_) latest_issued_ = intended;
    if (Open* o = open_for(index_of(intended))) {
        ++o->requests;
        ++o->outstanding;
    }
}

void IntervalSeries::on_dropped(Clock_tp intended) {
    if (intended > latest_issued_) latest_issued_ = intended;
    if (Open* o = open_for(index_of(intended))) ++o->errors[Outcome::dropped];
}

void IntervalSeries::on_completed(Clock_tp intended, Outcome outcome, int status,
                                  std::int64_t latency_us) noexcept {
    const auto index = index_of(intended);
    if (index < first_open_index_ || index >= first_open_index_ + static_cast<std::int64_t>(open_.size()))
        return;  // unreachable: an issued request keeps its interval open
    Open& o = *open_[static_cast<std::size_t>(index - first_open_index_)];
    if (o.outstanding > 0) --o.outstanding;
    if (outcome != Outcome::success) ++o.errors[outcome];
    if (status > 0) o.status.count(status);
    if (latency_us >= 0) o.latency.record(latency_us);
}

void IntervalSeries::close_front() {
    std::unique_ptr<Open> o = std::move(open_.front());
    open_.pop_front();
    ClosedInterval c;
    c.index = first_open_index_++;
    c.requests = o->requests;
    c.status_codes = o->status.sparse();
    c.errors = o->errors;
    c.hdr_compressed = encode_compressed(o->latency);
    closed_.push_back(std::move(c));
    o->reset();
    // Two or three intervals are open at a time; more pooled histograms would only hold memory.
    if (pool_.size() < 4) pool_.push_back(std::move(o));
}

void IntervalSeries::close_ready() {
    const auto horizon = index_of(latest_issued_);
    while (!open_.empty() && first_open_index_ < horizon && open_.front()->outstanding == 0) close_front();
}

void IntervalSeries::close_all() {
    while (!open_.empty()) close_front();
}

}  // namespace faultline
