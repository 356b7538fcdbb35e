#include "reports/result_reader.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>

#include "reports/hdr_codec.hpp"
#include "reports/result_json.hpp"
#include "reports/thresholds.hpp"

using namespace std::chrono_literals;
using faultline::Clock_tp;
using faultline::Outcome;
using faultline::RunResult;
namespace json = boost::json;

namespace {

const Clock_tp t0{std::chrono::seconds(10)};

void complete(faultline::RunRecorder& r, Clock_tp intended, std::chrono::microseconds latency, int status,
              Outcome o) {
    r.on_issued(intended);
    r.on_completed({intended, intended + 100us, intended + latency, status, o});
}

// A result with every part filled: steps with intervals, warm-up, errors, lags, verdicts.
RunResult full_result(faultline::RunRecorder& total, faultline::RunRecorder& step, faultline::RunRecorder& warm) {
    for (int i = 0; i < 40; ++i) {
        const auto at = t0 + i * 50ms;
        const bool bad = i % 7 == 3;
        complete(total, at, std::chrono::microseconds(1000 + 977 * i), bad ? 503 : 200,
                 bad ? Outcome::http_5xx : Outcome::success);
        complete(step, at, std::chrono::microseconds(800 + 311 * i), bad ? 503 : 200,
                 bad ? Outcome::http_5xx : Outcome::success);
    }
    total.on_issued(t0 + 1200ms);
    total.on_completed({t0 + 1200ms, t0 + 1200ms, t0 + 1700ms, 0, Outcome::timeout});
    total.on_dropped(t0 + 1300ms);
    total.record_send_lag(1234us);
    total.record_loop_lag(567us);
    complete(warm, t0 - 1s, 3ms, 200, Outcome::success);
    for (auto* r : {&total, &step, &warm}) r->intervals().close_all();
    faultline::MergeInputs in;
    in.origin = t0;
    in.start_unix_ms = 1'700'000'000'123;
    in.info.scenario = "checkout";
    in.info.url = "http://127.0.0.1:8080/";
    in.info.asked_rate_per_s = 20;
    in.info.connections = 8;
    in.info.interval = 250ms;
    in.info.asked_duration = 2s;
    in.cpu_time = 300ms;
    in.wall_time = 2s;
    auto r = faultline::merge_recorders({&total}, in);
    faultline::StepResult s;
    s.name = "login";
    s.stats = faultline::merge_recorders({&step}, in);
    s.checks_json = 2;
    r.steps.push_back(std::move(s));
    auto w = std::make_shared<RunResult>(faultline::merge_recorders({&warm}, in));
    w->intervals.clear();
    r.warmup = std::move(w);
    r.warnings.push_back("1 arrivals dropped");
    r.generator_bottleneck = true;
    r.slo.latency.push_back({"p99", 99, 25ms});
    r.slo.latency.push_back({"p99.9", 99.9, 40ms});
    r.slo.error_rate = 0.001;
    r.slo.availability = 0.9;
    r.slo.recovery_time = 1500ms;
    r.slo.recovery_intervals = 2;
    r.slo.errors = 3;
    r.slo.throughput_per_s = 5;
    r.slo.steps.push_back({"login", {{"p95", 95, 300ms}}, 0.01});
    faultline::FaultWindow fw;
    fw.proxies = {"api"};
    fw.type = "latency";
    fw.start_s = 0.5;
    fw.end_s = 1.0;
    fw.applied_start_s = 0.503;
    faultline::FaultWindow kill;
    kill.service = "db";
    kill.type = "kill";
    kill.start_s = 1.25;
    kill.end_s = 1.5;
    faultline::apply_verdicts(r, {fw, kill});
    r.aborted = true;
    r.abort_reason = "error_rate 12.0% > 0.100% for 1s since t=1s";
    r.service_logs = {"/tmp/logs/db.log"};
    return r;
}

std::string write(const RunResult& r) { return json::serialize(faultline::result_to_json(r)); }

}  // namespace

TEST_CASE("result JSON round trip: write -> read -> write is identical") {
    faultline::RunRecorder total(t0, 250ms), step(t0, 250ms), warm(t0 - 2s, 250ms);
    const auto r = full_result(total, step, warm);
    REQUIRE(r.faults.size() == 2);
    REQUIRE(r.thresholds.size() == 10);
    const auto first = write(r);
    const auto back = faultline::read_result_json(first, "r.json");
    CHECK(write(back) == first);

    CHECK(back.info.scenario == "checkout");
    CHECK(back.info.interval == 250ms);
    CHECK(back.completed == r.completed);
    CHECK(back.responses == r.responses);
    CHECK(back.errors.n == r.errors.n);  // success included
    CHECK(back.latency.total_count() == r.latency.total_count());
    CHECK(back.latency.value_at_percentile(99) == r.latency.value_at_percentile(99));
    CHECK(back.send_lag.max() == r.send_lag.max());
    CHECK(back.generator_bottleneck);
    REQUIRE(back.intervals.size() == r.intervals.size());
    CHECK(back.intervals[2].responses == r.intervals[2].responses);
    CHECK(back.intervals[2].hdr == r.intervals[2].hdr);
    REQUIRE(back.steps.size() == 1);
    CHECK(back.steps[0].stats.intervals.size() == r.steps[0].stats.intervals.size());
    CHECK(back.steps[0].checks_json == 2);
    REQUIRE(back.warmup);
    CHECK(back.warmup->requests == 1);
    CHECK(back.slo.latency[1].key == "p99.9");
    CHECK(back.slo.latency[1].limit == 40ms);
    CHECK(back.slo.recovery_time == 1500ms);
    CHECK(back.slo.steps[0].latency[0].limit == 300ms);
    CHECK(back.faults[1].window.service == "db");
    CHECK(back.faults[0].window.applied_start_s == 0.503);
    CHECK(back.aborted);
    CHECK(back.service_logs == r.service_logs);

    SECTION("a result read back re-evaluates to the same verdict") {
        auto again = back;
        std::vector<faultline::FaultWindow> windows;
        for (const auto& f : back.faults) windows.push_back(f.window);
        faultline::apply_verdicts(again, windows);
        CHECK(write(again) == first);
    }
}

TEST_CASE("result reader: errors name the file and the field") {
    faultline::RunRecorder total(t0, 250ms), step(t0, 250ms), warm(t0 - 2s, 250ms);
    const auto text = write(full_result(total, step, warm));
    json::value v = json::parse(text);
    auto fails_with = [](const json::value& doc, const auto& message) {
        CHECK_THROWS_WITH(faultline::read_result_json(json::serialize(doc), "new.json"), message);
    };
    SECTION("bad base64 in an interval") {
        v.at("intervals").at(3).at("hdr") = "HISTF!!";
        fails_with(v, Catch::Contains("new.json: intervals[3].hdr: not valid base64"));
    }
    SECTION("a missing key") {
        v.at("steps").at(0).as_object().erase("requests");
        fails_with(v, std::string("new.json: steps[0].requests: missing"));
    }
    SECTION("intervals are required at the top level") {
        v.as_object().erase("intervals");
        fails_with(v, std::string("new.json: intervals: missing"));
    }
    SECTION("a wrong type") {
        v.at("faults").at(1).at("recovered") = 1;
        fails_with(v, std::string("new.json: faults[1].recovered: expected true or false"));
    }
    SECTION("a bad status code") {
        v.at("status_codes").as_object()["20x"] = 1;
        fails_with(v, std::string("new.json: status_codes.20x: not an HTTP status code"));
    }
    SECTION("a histogram of another layout") {
        v.at("hdr") = faultline::encode_compressed_base64(faultline::Histogram(1, 1000, 2));
        fails_with(v, std::string("new.json: hdr: histogram of 1..1000 with 2 digits, expected faultline's 1..3600000000 us with 3"));
    }
    SECTION("not JSON, not an object") {
        CHECK_THROWS_WITH(faultline::read_result_json("{", "x.json"), Catch::StartsWith("x.json: not valid JSON"));
        CHECK_THROWS_WITH(faultline::read_result_json("[]", "x.json"), "x.json: expected an object");
    }
    CHECK_THROWS_AS(faultline::read_result_file("/nonexistent/faultline.json"), faultline::ResultReadError);
}

TEST_CASE("result reader: a file from before the verdict keys reads with defaults") {
    faultline::RunRecorder total(t0, 250ms), step(t0, 250ms), warm(t0 - 2s, 250ms);
    json::object o = faultline::result_to_json(full_result(total, step, warm)).as_object();
    for (const char* k : {"slo", "thresholds", "faults", "aborted", "abort_reason", "service_logs", "completed",
                          "responses", "send_lag_hdr", "loop_lag_hdr", "generator_bottleneck"})
        o.erase(k);
    const auto r = faultline::read_result_json(json::serialize(o), "old.json");
    CHECK_FALSE(r.generator_bottleneck);
    CHECK(r.thresholds.empty());
    CHECK_FALSE(r.aborted);
    CHECK(r.completed == r.requests);
    CHECK(r.responses == 40);  // the status counts
    CHECK(r.slo.recovery_intervals == 5);
}
