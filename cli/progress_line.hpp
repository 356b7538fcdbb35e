#pragma once
// The live progress line of `faultline run`: elapsed/total, the last interval's rate and
// P99, errors so far and the active fault. On a TTY it is redrawn in place every second;
// otherwise one plain line every 10 s; nothing when quiet. Fed from the driver's control
// thread (RunHooks), so it takes no lock.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "common/clock.hpp"
#include "reports/run_result.hpp"

namespace faultline {

class ProgressLine {
public:
    enum class Mode { tty, plain, quiet };
    ProgressLine(std::ostream& out, Mode mode, std::optional<Duration> total);

    void on_interval(const IntervalResult& ir, Duration interval);
    // since_origin < 0 during warm-up.
    void on_tick(Duration since_origin, const std::string& active_fault);
    // Ends the line on a TTY so the summary starts on its own line.
    void finish();

    // The text of one update (without \r or newline); public for tests.
    std::string text(Duration since_origin, const std::string& active_fault) const;

private:
    std::ostream& out_;
    Mode mode_;
    std::optional<Duration> total_;
    std::optional<IntervalResult> last_;
    double last_rate_per_s_ = 0;
    std::uint64_t requests_ = 0;
    std::uint64_t errors_ = 0;
    std::optional<Duration> last_plain_;
    bool drawn_ = false;
};

// TTY when stderr is a terminal.
ProgressLine::Mode progress_mode(bool quiet);

}  // namespace faultline
