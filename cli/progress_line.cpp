#include "cli/progress_line.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace faultline {
namespace {

constexpr Duration kPlainEvery = std::chrono::seconds(10);

std::string seconds(Duration d) {
    return fmt::format("{:.0f}s", std::chrono::duration<double>(d).count());
}

}  // namespace

ProgressLine::ProgressLine(std::ostream& out, Mode mode, std::optional<Duration> total)
    : out_(out), mode_(mode), total_(total) {}

ProgressLine::Mode progress_mode(bool quiet) {
    if (quiet) return ProgressLine::Mode::quiet;
    return ::isatty(STDERR_FILENO) ? ProgressLine::Mode::tty : ProgressLine::Mode::plain;
}

void ProgressLine::on_interval(const IntervalResult& ir, Duration interval) {
    requests_ += ir.requests;
    errors_ += ir.errors.failures();
    const double s = std::chrono::duration<double>(interval).count();
    last_rate_per_s_ = s > 0 ? static_cast<double>(ir.requests) / s : 0;
    last_ = ir;
}

std::string ProgressLine::text(Duration since_origin, const std::string& active_fault) const {
    std::string line = since_origin < Duration::zero()
                           ? fmt::format("warm-up {}", seconds(-since_origin))
                           : (total_ ? fmt::format("{}/{}", seconds(since_origin), seconds(*total_)) : seconds(since_origin));
    if (last_) {
        line += fmt::format("  {:.0f} req/s  p99 {:.1f}ms", last_rate_per_s_, last_->p99_ms);
    } else {
        line += "  (first interval pending)";
    }
    const double rate = requests_ > 0 ? 100.0 * static_cast<double>(errors_) / static_cast<double>(requests_) : 0;
    line += fmt::format("  errors {} ({:.2f}%)", errors_, rate);
    if (!active_fault.empty()) line += "  fault: " + active_fault;
    return line;
}

void ProgressLine::on_tick(Duration since_origin, const std::string& active_fault) {
    switch (mode_) {
    case Mode::quiet:
        return;
    case Mode::tty:
        // \r plus "erase to end of line" redraws in place.
        out_ << '\r' << text(since_origin, active_fault) << "\033[K" << std::flush;
        drawn_ = true;
        return;
    case Mode::plain:
        if (since_origin < Duration::zero()) return;
        if (last_plain_ && since_origin - *last_plain_ < kPlainEvery) return;
        last_plain_ = since_origin;
        out_ << "faultline: " << text(since_origin, active_fault) << '\n' << std::flush;
        return;
    }
}

void ProgressLine::finish() {
    if (mode_ == Mode::tty && drawn_) out_ << '\r' << "\033[K" << std::flush;
}

}  // namespace faultline
