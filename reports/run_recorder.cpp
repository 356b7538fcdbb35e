#include "reports/run_recorder.hpp"

namespace faultline {

std::int64_t to_us(Duration d) noexcept {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

RunRecorder::RunRecorder(Clock_tp origin, Duration interval)
    : intervals_(origin, interval), last_done_(origin) {}

void RunRecorder::on_dropped(Clock_tp intended) {
    ++outcomes_[Outcome::dropped];
    intervals_.on_dropped(intended);
}

void RunRecorder::on_completed(const RequestSample& s) noexcept {
    ++completed_;
    ++outcomes_[s.outcome];
    if (s.done > last_done_) last_done_ = s.done;
    std::int64_t latency_us = -1;
    // Only requests that got an HTTP response carry a latency; transport failures and
    // timeouts appear in the error counts alone.
    if (s.status > 0) {
        ++responses_;
        status_.count(s.status);
        latency_us = to_us(s.done - s.intended);
        latency_.record(latency_us);
        service_time_.record(to_us(s.done - s.sent));
    }
    intervals_.on_completed(s.intended, s.outcome, s.status, latency_us);
}

void RunRecorder::note_error(Outcome o, const std::string& message) {
    auto& slot = first_errors_[static_cast<std::size_t>(o)];
    if (slot.empty()) slot = message;
}

void RunRecorder::record_send_lag(Duration lag) noexcept { send_lag_.record(to_us(lag)); }
void RunRecorder::record_loop_lag(Duration lag) noexcept { loop_lag_.record(to_us(lag)); }

}  // namespace faultline
