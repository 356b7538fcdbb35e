#include "reports/abort_monitor.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using faultline::AbortMonitor;
using faultline::AbortSpec;
using faultline::IntervalResult;
using faultline::SloSpec;

namespace {

SloSpec slo() {
    SloSpec s;
    s.latency.push_back({"p99", 99, 250ms});
    s.latency.push_back({"p95", 95, 100ms});
    s.error_rate = 0.01;
    return s;
}

IntervalResult interval(double t_s, double error_rate, double p99_ms) {
    IntervalResult i;
    i.t_s = t_s;
    i.requests = 100;
    i.responses = 100;
    i.error_rate = error_rate;
    i.p50_ms = i.p95_ms = 10;
    i.p99_ms = i.max_ms = p99_ms;
    return i;
}

}  // namespace

TEST_CASE("abort: fires when violations cover `for` in a row, not a moment earlier") {
    AbortMonitor m(slo(), AbortSpec{{"error_rate", "latency.p99"}, 1s}, 250ms);
    CHECK_FALSE(m.on_interval(interval(0.0, 0.0, 10)));
    CHECK_FALSE(m.on_interval(interval(0.25, 0.12, 10)));
    CHECK_FALSE(m.on_interval(interval(0.5, 0.0, 300)));
    CHECK_FALSE(m.on_interval(interval(0.75, 0.12, 300)));
    CHECK_FALSE(m.triggered());
    const auto reason = m.on_interval(interval(1.0, 0.12, 523));
    REQUIRE(reason);
    CHECK(*reason == "error_rate 12.0% > 1.0% and latency.p99 523.000ms > 250ms for 1s since t=0.25s");
    CHECK(m.triggered());
    CHECK(m.on_interval(interval(1.25, 0, 10)) == reason);  // stays triggered
}

TEST_CASE("abort: a healthy interval resets the streak") {
    AbortMonitor m(slo(), AbortSpec{{"error_rate"}, 750ms}, 250ms);
    CHECK_FALSE(m.on_interval(interval(0.0, 0.5, 10)));
    CHECK_FALSE(m.on_interval(interval(0.25, 0.5, 10)));
    CHECK_FALSE(m.on_interval(interval(0.5, 0.005, 10)));
    CHECK_FALSE(m.on_interval(interval(0.75, 0.5, 10)));
    CHECK_FALSE(m.on_interval(interval(1.0, 0.5, 10)));
    const auto reason = m.on_interval(interval(1.25, 0.0005, 10));
    CHECK_FALSE(reason);
    CHECK(m.on_interval(interval(1.5, 0.02, 10)) == std::nullopt);
}

TEST_CASE("abort: only the named limits count") {
    AbortMonitor m(slo(), AbortSpec{{"latency.p95"}, 500ms}, 250ms);
    CHECK_FALSE(m.on_interval(interval(0.0, 0.9, 900)));  // error rate and p99 are not named
    auto slow = interval(0.25, 0, 10);
    slow.p95_ms = 100.001;
    CHECK_FALSE(m.on_interval(slow));
    slow.t_s = 0.5;
    CHECK(m.on_interval(slow) == "latency.p95 100.001ms > 100ms for 500ms since t=0.25s");
}

TEST_CASE("abort: intervals without responses") {
    SECTION("requests that all failed violate error_rate") {
        AbortMonitor m(slo(), AbortSpec{{"error_rate", "latency.p99"}, 500ms}, 250ms);
        auto dead = interval(0.0, 1.0, 0);
        dead.responses = 0;
        dead.errors[faultline::Outcome::timeout] = 100;
        CHECK_FALSE(m.on_interval(dead));
        dead.t_s = 0.25;
        CHECK(m.on_interval(dead) == "error_rate 100.0% > 1.0% for 500ms since t=0s");
    }
    SECTION("no response cannot violate a latency limit") {
        AbortMonitor m(slo(), AbortSpec{{"latency.p99"}, 250ms}, 250ms);
        auto dead = interval(0.0, 1.0, 0);
        dead.responses = 0;
        CHECK_FALSE(m.on_interval(dead));
    }
    SECTION("an empty interval continues a streak but never starts one") {
        AbortMonitor m(slo(), AbortSpec{{"error_rate"}, 750ms}, 250ms);
        IntervalResult empty;
        CHECK_FALSE(m.on_interval(empty));
        empty.t_s = 0.25;
        CHECK_FALSE(m.on_interval(empty));
        CHECK_FALSE(m.on_interval(interval(0.5, 0.5, 10)));
        empty.t_s = 0.75;
        CHECK_FALSE(m.on_interval(empty));
        empty.t_s = 1.0;
        CHECK(m.on_interval(empty) == "error_rate 50.0% > 1.0% for 750ms since t=0.5s");
    }
}

TEST_CASE("abort: small rates print with three decimals") {
    SloSpec s;
    s.error_rate = 0.001;
    AbortMonitor m(s, AbortSpec{{"error_rate"}, 0s}, 1s);
    CHECK(m.on_interval(interval(3.0, 0.005, 10)) == "error_rate 0.500% > 0.100% for 0s since t=3s");
}

TEST_CASE("abort: names must be global slo limits") {
    const auto problems =
        faultline::abort_spec_problems(SloSpec{}, AbortSpec{{"error_rate", "latency.p90", "throughput"}, 1s});
    REQUIRE(problems.size() == 3);
    CHECK(problems[0] == "abort.when: 'error_rate' needs slo.error_rate");
    CHECK(problems[1] == "abort.when: 'latency.p90' is not a limit in slo.latency");
    CHECK(problems[2] == "abort.when: 'throughput' is neither error_rate nor latency.<key>");
    CHECK(faultline::abort_spec_problems(slo(), AbortSpec{{"latency.p99"}, 1s}).empty());
    CHECK_THROWS_AS(AbortMonitor(slo(), AbortSpec{{"latency.p90"}, 1s}, 1s), std::invalid_argument);
    CHECK_THROWS_AS(AbortMonitor(slo(), AbortSpec{{"latency.p99"}, 1s}, 0s), std::invalid_argument);
}
