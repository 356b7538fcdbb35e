#include <catch2/catch.hpp>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/progress_line.hpp"
#include "cli/run_session.hpp"

using namespace faultline;
using namespace std::chrono_literals;

namespace {

IntervalResult interval(std::uint64_t requests, std::uint64_t timeouts, double p99_ms) {
    IntervalResult ir;
    ir.requests = requests;
    ir.errors[Outcome::timeout] = timeouts;
    ir.p99_ms = p99_ms;
    return ir;
}

}  // namespace

TEST_CASE("the progress line shows elapsed/total, the last interval's rate and P99, errors and the fault") {
    std::ostringstream out;
    ProgressLine p(out, ProgressLine::Mode::plain, 60s);
    CHECK(p.text(-2s, "") == "warm-up 2s  (first interval pending)  errors 0 (0.00%)");
    p.on_interval(interval(250, 0, 12.34), 500ms);
    p.on_interval(interval(250, 5, 40.0), 500ms);
    CHECK(p.text(12s, "latency on db") == "12s/60s  500 req/s  p99 40.0ms  errors 5 (1.00%)  fault: latency on db");
}

TEST_CASE("off a terminal the progress line is printed every 10 s, never during warm-up; quiet prints nothing") {
    std::ostringstream out;
    ProgressLine p(out, ProgressLine::Mode::plain, std::nullopt);
    p.on_tick(-1s, "");
    for (int s = 0; s <= 25; ++s) p.on_tick(std::chrono::seconds(s), "");
    p.finish();
    const std::string text = out.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);  // at 0 s, 10 s, 20 s
    CHECK(text.rfind("faultline: 20s", std::string::npos) != std::string::npos);
    CHECK(text.find('\r') == std::string::npos);

    std::ostringstream quiet_out;
    ProgressLine quiet(quiet_out, ProgressLine::Mode::quiet, 10s);
    quiet.on_tick(5s, "x");
    quiet.finish();
    CHECK(quiet_out.str().empty());
}

TEST_CASE("on a terminal the progress line is redrawn in place and cleared at the end") {
    std::ostringstream out;
    ProgressLine p(out, ProgressLine::Mode::tty, 10s);
    p.on_tick(1s, "");
    p.on_tick(2s, "");
    p.finish();
    CHECK(out.str() == "\r1s/10s  (first interval pending)  errors 0 (0.00%)\033[K"
                       "\r2s/10s  (first interval pending)  errors 0 (0.00%)\033[K\r\033[K");
}

TEST_CASE("exit codes combine with the precedence 130 > 2 > 3 > 1 > 0") {
    using namespace exit_code;
    CHECK(worst_exit_code({ok, ok}) == ok);
    CHECK(worst_exit_code({threshold_failed, ok}) == threshold_failed);
    CHECK(worst_exit_code({threshold_failed, setup_failed}) == setup_failed);
    CHECK(worst_exit_code({setup_failed, bad_input}) == bad_input);
    CHECK(worst_exit_code({bad_input, interrupted, threshold_failed}) == interrupted);
}
