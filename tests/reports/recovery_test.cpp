#include "reports/recovery.hpp"

#include <catch2/catch.hpp>
#include <string_view>

#include "reports/hdr_codec.hpp"
#include "reports/health.hpp"

using namespace std::chrono_literals;
using faultline::FaultWindow;
using faultline::IntervalResult;

namespace {

// Intervals of `interval_s` from a pattern: '+' healthy (p99 10 ms, no errors), '-' slow
// (p99 500 ms), 'x' failing (error rate 0.5), '.' empty (no request at all).
std::vector<IntervalResult> intervals_from(std::string_view pattern, double interval_s) {
    std::vector<IntervalResult> out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        IntervalResult ir;
        ir.t_s = static_cast<double>(i) * interval_s;
        if (pattern[i] != '.') {
            ir.requests = 100;
            ir.responses = 100;
        }
        ir.p50_ms = ir.p95_ms = ir.p99_ms = ir.max_ms = pattern[i] == '-' ? 500.0 : pattern[i] == '.' ? 0.0 : 10.0;
        if (pattern[i] == 'x') ir.error_rate = 0.5;
        out.push_back(ir);
    }
    return out;
}

faultline::SloSpec p99_slo(faultline::Duration limit) {
    faultline::SloSpec slo;
    slo.latency.push_back({"p99", 99, limit});
    slo.error_rate = 0.01;
    return slo;
}

std::vector<bool> health_of(const std::vector<IntervalResult>& iv, const faultline::SloSpec& slo,
                            faultline::Duration interval, const std::vector<FaultWindow>& windows) {
    return faultline::healthy_intervals(iv, faultline::health_rule(slo, iv, interval, windows));
}

FaultWindow window(double start, double end) {
    FaultWindow w;
    w.proxies = {"api"};
    w.type = "latency";
    w.start_s = start;
    w.end_s = end;
    return w;
}

}  // namespace

TEST_CASE("recovery: the worked example of the header and docs/recovery.md") {
    //                 0  1  2  3  4  5  6  7  8
    const auto iv = intervals_from("++--+-+++", 1.0);
    const auto healthy = health_of(iv, p99_slo(100ms), 1s, {});
    REQUIRE(healthy == std::vector<bool>{true, true, false, false, true, false, true, true, true});
    const auto f = faultline::analyse_fault_windows(iv, healthy, 1s, {window(1.5, 4.0)}, 3);
    REQUIRE(f.size() == 1);
    CHECK(f[0].time_to_impact_s == 0.5);
    CHECK(f[0].recovered);
    CHECK(f[0].recovery_time_s == 2.0);
    CHECK(f[0].worst_p99_ms == 500.0);  // intervals 1..5
    CHECK(f[0].window.proxies == std::vector<std::string>{"api"});
}

TEST_CASE("recovery: exact values at 250 ms intervals") {
    // window [1.0, 2.0]: intervals 4..7 are the fault, 8 still slow, 9.. healthy.
    //                                 0   4   8   12  16
    const auto iv = intervals_from("+++++x--x-++++++", 0.25);
    const auto healthy = health_of(iv, p99_slo(100ms), 250ms, {});
    SECTION("K = 5") {
        const auto f = faultline::analyse_fault_windows(iv, healthy, 250ms, {window(1.0, 2.0)}, 5);
        CHECK(f[0].time_to_impact_s == 0.25);  // interval 4 at 1.0 is healthy, 5 at 1.25 is not
        CHECK(f[0].recovery_time_s == 0.5);    // 10..14 healthy: 2.5 - 2.0
        CHECK(f[0].worst_error_rate == 0.5);
        CHECK(f[0].worst_p99_ms == 500.0);
    }
    SECTION("K larger than what is left: not recovered") {
        const auto f = faultline::analyse_fault_windows(iv, healthy, 250ms, {window(1.0, 2.0)}, 7);
        CHECK_FALSE(f[0].recovered);
        CHECK_FALSE(f[0].recovery_time_s.has_value());
        CHECK(f[0].time_to_impact_s == 0.25);
    }
}

TEST_CASE("recovery: a window without impact recovers at once") {
    const auto iv = intervals_from("++++++++", 1.0);
    const auto healthy = health_of(iv, p99_slo(100ms), 1s, {});
    const auto f = faultline::analyse_fault_windows(iv, healthy, 1s, {window(2.0, 3.0)}, 5);
    CHECK_FALSE(f[0].time_to_impact_s.has_value());
    CHECK(f[0].recovery_time_s == 0.0);
    CHECK(f[0].worst_p99_ms == 10.0);  // the window's own interval, before the recovery point
}

TEST_CASE("recovery: impact in the interval holding a mid-interval start counts as 0") {
    const auto iv = intervals_from("++-+++++", 1.0);
    const auto healthy = health_of(iv, p99_slo(100ms), 1s, {});
    const auto f = faultline::analyse_fault_windows(iv, healthy, 1s, {window(2.4, 2.6)}, 2);
    CHECK(f[0].time_to_impact_s == 0.0);
    CHECK(f[0].recovery_time_s == Approx(0.4));  // end 2.6 -> interval 3
}

TEST_CASE("recovery: an interval with no response is unhealthy, a run ending first means not recovered") {
    const auto iv = intervals_from("++..+", 1.0);
    const auto healthy = health_of(iv, p99_slo(100ms), 1s, {});
    CHECK(healthy == std::vector<bool>{true, true, false, false, true});
    const auto f = faultline::analyse_fault_windows(iv, healthy, 1s, {window(2.0, 3.0)}, 2);
    CHECK(f[0].time_to_impact_s == 0.0);
    CHECK_FALSE(f[0].recovered);
}

TEST_CASE("recovery: several windows are analysed independently, in order") {
    const auto iv = intervals_from("+--+++-++++", 1.0);
    const auto healthy = health_of(iv, p99_slo(100ms), 1s, {});
    const auto f = faultline::analyse_fault_windows(iv, healthy, 1s, {window(1.0, 3.0), window(6.0, 7.0)}, 3);
    REQUIRE(f.size() == 2);
    CHECK(f[0].time_to_impact_s == 0.0);
    CHECK(f[0].recovery_time_s == 0.0);  // 3,4,5 healthy
    CHECK(f[1].time_to_impact_s == 0.0);
    CHECK(f[1].recovery_time_s == 0.0);  // 7,8,9
    CHECK_THROWS_AS(faultline::analyse_fault_windows(iv, {true}, 1s, {}, 3), std::invalid_argument);
}

TEST_CASE("health: the fallback baseline is the median P99 of the intervals wholly before the first fault") {
    auto iv = intervals_from("++++++++", 1.0);
    iv[0].p99_ms = 10;
    iv[1].p99_ms = 30;
    iv[2].p99_ms = 20;
    iv[3].p99_ms = 40;  // holds the fault start 3.5: not in the baseline
    iv[4].p99_ms = 51;
    iv[5].p99_ms = 40;
    iv[6].error_rate = 0.011;
    iv[7].error_rate = 0.01;
    const faultline::SloSpec none;
    const auto rule = faultline::health_rule(none, iv, 1s, {window(5.0, 6.0), window(3.5, 4.0)});
    CHECK(rule.fallback);
    CHECK(rule.baseline_p99_ms == 20.0);
    CHECK(rule.p99_limit_ms == 40.0);
    CHECK(faultline::healthy_intervals(iv, rule) ==
          std::vector<bool>{true, true, true, true, false, true, false, true});
    SECTION("an even count takes the mean of the two middle values") {
        const auto r2 = faultline::health_rule(none, iv, 1s, {window(4.0, 5.0)});
        CHECK(r2.baseline_p99_ms == 25.0);
    }
    SECTION("without faults every interval counts") {
        const auto r3 = faultline::health_rule(none, iv, 1s, {});
        CHECK(r3.baseline_p99_ms == 25.0);  // 10 10 10 20 | 30 40 40 51
    }
    SECTION("no response before the first fault: only the error rate counts") {
        auto quiet = intervals_from("..++", 1.0);
        quiet[2].p99_ms = 5000;
        const auto r4 = faultline::health_rule(none, quiet, 1s, {window(2.0, 3.0)});
        CHECK_FALSE(r4.p99_limit_ms.has_value());
        CHECK(faultline::healthy_intervals(quiet, r4) == std::vector<bool>{false, false, true, true});
    }
}

TEST_CASE("health: SLO percentiles other than p50/p95/p99/max come from the interval's hdr") {
    auto h = faultline::Histogram::latency_us();
    for (int i = 1; i <= 100; ++i) h.record(i * 10);  // 10..1000 us, exact in the histogram
    IntervalResult i;
    i.requests = i.responses = 100;
    i.p99_ms = 0.99;
    i.hdr = faultline::encode_compressed_base64(h);
    CHECK(faultline::interval_percentile_ms(i, 90) == 0.9);
    CHECK(faultline::interval_percentile_ms(i, 99) == 0.99);
    faultline::SloSpec slo;
    slo.latency.push_back({"p90", 90, 900us});
    CHECK(faultline::is_healthy(i, faultline::health_rule(slo, {i}, 1s, {})));
    slo.latency[0].limit = 899us;
    CHECK_FALSE(faultline::is_healthy(i, faultline::health_rule(slo, {i}, 1s, {})));
    i.hdr.clear();
    CHECK_THROWS_AS(faultline::interval_percentile_ms(i, 90), std::invalid_argument);
}
