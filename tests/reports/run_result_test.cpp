#include "reports/run_result.hpp"

#include <catch2/catch.hpp>

#include "reports/hdr_codec.hpp"

using namespace std::chrono_literals;
using faultline::Clock_tp;
using faultline::Outcome;
using faultline::RequestSample;
using faultline::RunRecorder;

namespace {
const Clock_tp t0{std::chrono::seconds(50)};

void complete(RunRecorder& r, Clock_tp intended, std::chrono::microseconds latency, int status, Outcome o) {
    r.on_issued(intended);
    r.on_completed(RequestSample{intended, intended, intended + latency, status, o});
}
}  // namespace

TEST_CASE("merging workers sums counts and adds histograms exactly") {
    RunRecorder a(t0, 1s), b(t0, 1s);
    faultline::Histogram union_h = faultline::Histogram::latency_us();
    for (int i = 0; i < 100; ++i) {
        complete(a, t0 + std::chrono::milliseconds(i * 10), std::chrono::microseconds(1000 + i), 200, Outcome::success);
        union_h.record(1000 + i);
        complete(b, t0 + std::chrono::milliseconds(i * 10 + 5), std::chrono::microseconds(50'000 + 7 * i), 200,
                 Outcome::success);
        union_h.record(50'000 + 7 * i);
    }
    const faultline::Histogram first_interval = union_h;
    complete(b, t0 + 1500ms, 3ms, 500, Outcome::http_5xx);
    union_h.record(3000);
    b.on_dropped(t0 + 1600ms);
    a.on_issued(t0 + 1700ms);
    a.note_error(Outcome::timeout, "late");
    a.on_completed(RequestSample{t0 + 1700ms, t0 + 1700ms + 5s, t0 + 1700ms + 5s, 0, Outcome::timeout});
    a.intervals().close_all();
    b.intervals().close_all();

    faultline::MergeInputs in;
    in.origin = t0;
    in.info.interval = 1s;
    const auto r = faultline::merge_recorders({&a, &b}, in);
    CHECK(r.requests == 202);
    CHECK(r.completed == 202);
    CHECK(r.responses == 201);
    CHECK(r.errors[Outcome::dropped] == 1);
    CHECK(r.errors[Outcome::timeout] == 1);
    CHECK(r.errors[Outcome::http_5xx] == 1);
    // (5xx + timeout + dropped) / (202 issued + 1 dropped)
    CHECK(r.error_rate == Approx(3.0 / 203.0));
    CHECK(r.latency.total_count() == 201);
    for (double p : {50.0, 90.0, 99.0, 99.9, 100.0}) CHECK(r.latency.value_at_percentile(p) == union_h.value_at_percentile(p));
    CHECK(r.duration_s == Approx(6.7));
    REQUIRE(r.intervals.size() == 7);  // 0..6 s: the timeout completed in interval 6's time
    CHECK(r.intervals[0].requests == 200);
    CHECK(r.intervals[1].requests == 2);
    CHECK(r.intervals[1].errors[Outcome::dropped] == 1);
    CHECK(r.intervals[1].error_rate == Approx(3.0 / 3.0));
    CHECK(r.intervals[3].requests == 0);  // silent intervals are present, empty
    CHECK(faultline::decode_compressed_base64(r.intervals[0].hdr).total_count() == 200);
    CHECK(r.intervals[0].p99_ms == static_cast<double>(first_interval.value_at_percentile(99)) / 1000.0);
    CHECK(r.no_response_reason.empty());
}

TEST_CASE("a run without responses explains itself with the commonest failure") {
    RunRecorder a(t0, 1s);
    for (int i = 0; i < 3; ++i) {
        a.on_issued(t0);
        a.note_error(Outcome::connect_refused, "connect to 127.0.0.1:1: Connection refused");
        a.on_completed(RequestSample{t0, t0, t0 + 1ms, 0, Outcome::connect_refused});
    }
    a.intervals().close_all();
    faultline::MergeInputs in;
    in.origin = t0;
    const auto r = faultline::merge_recorders({&a}, in);
    CHECK(r.no_response_reason == "no request got an HTTP response (connect_refused: 3): connect to 127.0.0.1:1: Connection refused");
}

TEST_CASE("generator warnings name the bottleneck") {
    faultline::RunResult r;
    r.info.threads = 1;
    r.generator_cpu_pct = 97;
    r.send_lag.record(20'000);
    r.errors[Outcome::dropped] = 4;
    faultline::add_generator_warnings(r);
    REQUIRE(r.warnings.size() == 3);
    CHECK_THAT(r.warnings[0], Catch::Contains("CPU"));
    CHECK_THAT(r.warnings[1], Catch::Contains("send lag"));
    CHECK_THAT(r.warnings[2], Catch::Contains("4 arrivals dropped"));
    CHECK(r.generator_bottleneck);
    faultline::RunResult quiet;
    quiet.generator_cpu_pct = 20;
    quiet.send_lag.record(100);
    quiet.loop_lag.record(300);
    faultline::add_generator_warnings(quiet);
    CHECK(quiet.warnings.empty());
    CHECK_FALSE(quiet.generator_bottleneck);
}

TEST_CASE("a late event loop is a generator bottleneck of its own") {
    faultline::RunResult r;
    r.info.threads = 2;
    r.generator_cpu_pct = 60;  // under 90% of 2 threads
    r.send_lag.record(200);
    for (int i = 0; i < 98; ++i) r.loop_lag.record(150);
    r.loop_lag.record(7'500);  // the P99 of 100 ticks is the second-highest
    r.loop_lag.record(9'000);
    faultline::add_generator_warnings(r);
    REQUIRE(r.warnings.size() == 1);
    CHECK_THAT(r.warnings[0], Catch::Contains("loop lag P99 7.5") && Catch::Contains("--threads"));
    CHECK(r.generator_bottleneck);

    SECTION("the closed model's loop is watched too (it has no send lag)") {
        faultline::RunResult closed;
        closed.info.open_model = false;
        closed.loop_lag.record(6'000);
        faultline::add_generator_warnings(closed);
        REQUIRE(closed.warnings.size() == 1);
        CHECK(closed.generator_bottleneck);
    }
    SECTION("just under 5 ms it stays quiet: the criterion is P99 above 5 ms") {
        faultline::RunResult edge;
        edge.loop_lag.record(4'990);
        faultline::add_generator_warnings(edge);
        CHECK(edge.warnings.empty());
        CHECK_FALSE(edge.generator_bottleneck);
    }
    SECTION("dropped arrivals and clamped latencies warn without blaming the generator") {
        faultline::RunResult target_bound;
        target_bound.errors[Outcome::dropped] = 3;
        target_bound.saturated = 1;
        faultline::add_generator_warnings(target_bound);
        CHECK(target_bound.warnings.size() == 2);
        CHECK_FALSE(target_bound.generator_bottleneck);
    }
    SECTION("each generator criterion alone sets the flag") {
        faultline::RunResult cpu, send;
        cpu.info.threads = 1;
        cpu.generator_cpu_pct = 90;
        send.send_lag.record(5'100);
        for (auto* x : {&cpu, &send}) {
            faultline::add_generator_warnings(*x);
            CHECK(x->warnings.size() == 1);
            CHECK(x->generator_bottleneck);
        }
    }
}
