#include "reports/thresholds.hpp"

#include <catch2/catch.hpp>

#include "reports/hdr_codec.hpp"
#include "reports/text_summary.hpp"

using namespace std::chrono_literals;
using faultline::Clock_tp;
using faultline::FaultWindow;
using faultline::Outcome;
using faultline::RunResult;
using faultline::ThresholdResult;

namespace {

const Clock_tp t0{std::chrono::seconds(100)};

// A run on a virtual clock: 4 requests per 250 ms interval for 5 s, latency 10 ms, except
// the fault window [1 s, 2 s) where it is 400 ms and one in four fails with a 503, and
// the interval at 2.0 s that is still slow; one arrival dropped at 4.9 s.
RunResult faulted_run(faultline::RunRecorder& rec) {
    for (int i = 0; i < 80; ++i) {
        const auto intended = t0 + i * 62'500us;
        const bool fault = intended >= t0 + 1s && intended < t0 + 2250ms;
        const bool fail = intended >= t0 + 1s && intended < t0 + 2s && i % 4 == 0;
        rec.on_issued(intended);
        rec.on_completed({intended, intended, intended + (fault ? 400ms : 10ms), fail ? 503 : 200,
                          fail ? Outcome::http_5xx : Outcome::success});
    }
    rec.on_dropped(t0 + 4900ms);
    rec.intervals().close_all();
    faultline::MergeInputs in;
    in.origin = t0;
    in.info.interval = 250ms;
    return faultline::merge_recorders({&rec}, in);
}

FaultWindow window(double start, double end) {
    FaultWindow w;
    w.proxies = {"api", "db"};
    w.type = "latency";
    w.start_s = start;
    w.end_s = end;
    w.applied_start_s = start + 0.004;  // never used by the analysis
    return w;
}

const ThresholdResult& named(const RunResult& r, const std::string& name) {
    for (const auto& t : r.thresholds)
        if (t.name == name) return t;
    FAIL("no threshold " << name);
    throw;
}

}  // namespace

TEST_CASE("apply_verdicts: recovery and thresholds of a run on a virtual clock") {
    faultline::RunRecorder rec(t0, 250ms);
    auto r = faulted_run(rec);
    REQUIRE(r.intervals.size() == 20);
    r.slo.latency.push_back({"p99", 99, 250ms});
    r.slo.latency.push_back({"p50", 50, 20ms});
    r.slo.error_rate = 0.1;
    r.slo.errors = 5;
    r.slo.throughput_per_s = 10;
    r.slo.availability = 0.75;
    r.slo.recovery_time = 1s;
    r.slo.recovery_intervals = 4;
    faultline::apply_verdicts(r, {window(1.0, 2.0), window(4.5, 4.75)});

    REQUIRE(r.faults.size() == 2);
    const auto& f = r.faults[0];
    CHECK(f.time_to_impact_s == 0.0);
    CHECK(f.recovered);
    CHECK(f.recovery_time_s == 0.25);  // the interval at 2.0 is still slow
    CHECK(f.worst_p99_ms == Approx(400.0).epsilon(0.001));
    CHECK(f.worst_error_rate == 0.25);
    CHECK(f.window.applied_start_s == 1.004);
    CHECK_FALSE(r.faults[1].time_to_impact_s);
    CHECK_FALSE(r.faults[1].recovered);  // 4.75 leaves one interval, K = 4

    std::vector<std::string> names;
    for (const auto& t : r.thresholds) names.push_back(t.name);
    CHECK(names == std::vector<std::string>{"latency.p99", "latency.p50", "error_rate", "errors", "throughput",
                                            "availability", "recovery_time.0", "recovery_time.1"});
    const auto& p99 = named(r, "latency.p99");
    CHECK(p99.unit == "ms");
    CHECK(p99.limit == 250.0);
    CHECK(p99.value == Approx(400.0).epsilon(0.001));
    CHECK_FALSE(p99.ok);
    CHECK(named(r, "latency.p50").value == Approx(10.0).epsilon(0.001));
    CHECK(named(r, "latency.p50").ok);
    // 4 failed + 1 dropped of 80 + 1
    CHECK(named(r, "errors").value == 5.0);
    CHECK(named(r, "errors").unit == "count");
    CHECK(named(r, "errors").ok);
    CHECK(named(r, "error_rate").value == Approx(5.0 / 81.0));
    CHECK(named(r, "error_rate").ok);
    CHECK(named(r, "throughput").unit == "per_s");
    CHECK(named(r, "throughput").value == r.rps);
    CHECK(named(r, "throughput").ok);
    // unhealthy: 1.0 .. 2.0 (5 intervals) and 4.75 (the drop: error rate 1/5) of 20
    CHECK(named(r, "availability").value == 0.7);
    CHECK_FALSE(named(r, "availability").ok);
    CHECK(named(r, "recovery_time.0").value == 0.25);
    CHECK(named(r, "recovery_time.0").unit == "s");
    CHECK(named(r, "recovery_time.0").ok);
    CHECK_FALSE(named(r, "recovery_time.1").value);
    CHECK_FALSE(named(r, "recovery_time.1").ok);
    CHECK_FALSE(faultline::passed(r));

    const auto text = faultline::format_summary(r);
    CHECK_THAT(text, Catch::Contains("latency.p99"));
    CHECK_THAT(text, Catch::Contains("FAIL"));
    CHECK_THAT(text, Catch::Contains("#0 latency on proxies api,db, 1.000-2.000 s: impact after 0.000 s, recovered 0.250 s after the end"));
    CHECK_THAT(text, Catch::Contains("NOT RECOVERED"));
    CHECK_THAT(text, Catch::EndsWith("result     FAIL\n"));
}

TEST_CASE("thresholds: steps, missing data and the fixed order") {
    RunResult r;
    r.latency.record(120'000);
    r.error_rate = 0.002;
    faultline::StepResult login;
    login.name = "login";
    login.stats.latency.record(310'000);
    login.stats.error_rate = 0.01;
    r.steps.push_back(login);
    r.slo.error_rate = 0.001;
    r.slo.latency.push_back({"max", 100, 200ms});
    r.slo.steps.push_back({"login", {{"p95", 95, 300ms}}, 0.01});
    r.slo.steps.push_back({"logout", {{"p99", 99, 1s}}, std::nullopt});
    r.slo.recovery_time = 30s;  // no windows: no recovery threshold
    faultline::apply_verdicts(r, {});
    std::vector<std::string> names;
    for (const auto& t : r.thresholds) names.push_back(t.name);
    CHECK(names == std::vector<std::string>{"latency.max", "error_rate", "steps.login.latency.p95",
                                            "steps.login.error_rate", "steps.logout.latency.p99"});
    CHECK(named(r, "latency.max").ok);
    CHECK_FALSE(named(r, "error_rate").ok);
    CHECK(named(r, "steps.login.latency.p95").value == Approx(310.0).epsilon(0.001));
    CHECK_FALSE(named(r, "steps.login.latency.p95").ok);
    CHECK(named(r, "steps.login.error_rate").ok);  // at most: 1% meets 1%
    CHECK_FALSE(named(r, "steps.logout.latency.p99").value);
    CHECK_FALSE(named(r, "steps.logout.latency.p99").ok);
    CHECK(r.faults.empty());
}

TEST_CASE("thresholds: limits are inclusive, no response gives a null latency, abort fails the run") {
    RunResult r;
    r.slo.latency.push_back({"p99", 99, 2ms});
    r.slo.availability = 0.5;  // no intervals: nothing to measure
    faultline::apply_verdicts(r, {});
    CHECK_FALSE(r.thresholds[0].value);
    CHECK_FALSE(r.thresholds[0].ok);
    CHECK_FALSE(r.thresholds[1].value);
    r.latency.record(2000);  // exact below 2048 us
    faultline::apply_verdicts(r, {});
    CHECK(r.thresholds[0].value == 2.0);
    CHECK(r.thresholds[0].ok);
    r.slo.availability.reset();
    faultline::apply_verdicts(r, {});
    CHECK(faultline::passed(r));
    r.aborted = true;
    r.abort_reason = "error_rate 12.0% > 1.0% for 10s since t=40s";
    CHECK_FALSE(faultline::passed(r));
    CHECK_THAT(faultline::format_summary(r),
               Catch::EndsWith("ABORTED: error_rate 12.0% > 1.0% for 10s since t=40s\nresult     FAIL\n"));
    CHECK(faultline::passed(RunResult{}));
}
