#include "reports/result_json.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reports/hdr_codec.hpp"

using namespace std::chrono_literals;
namespace json = boost::json;

TEST_CASE("the result JSON carries every documented key with its unit") {
    const faultline::Clock_tp t0{std::chrono::seconds(7)};
    faultline::RunRecorder rec(t0, 1s);
    rec.on_issued(t0);
    rec.on_completed(faultline::RequestSample{t0, t0 + 1ms, t0 + 12ms, 200, faultline::Outcome::success});
    rec.record_send_lag(250us);
    rec.intervals().close_all();
    faultline::MergeInputs in;
    in.origin = t0;
    in.start_unix_ms = 1'700'000'000'000;
    in.cpu_time = 500ms;
    in.wall_time = 2s;
    const auto r = faultline::merge_recorders({&rec}, in);
    const json::object o = faultline::result_to_json(r).as_object();
    for (const char* key : {"start_unix_ms", "duration_s", "requests", "rps", "status_codes", "errors", "error_rate",
                            "saturated", "latency_ms", "service_time_ms", "hdr", "service_time_hdr", "interrupted",
                            "generator_cpu_pct", "send_lag_ms", "loop_lag_ms", "warnings", "intervals", "completed",
                            "responses", "send_lag_hdr", "loop_lag_hdr", "steps", "slo", "thresholds", "faults",
                            "aborted", "abort_reason", "service_logs", "generator_bottleneck"}) {
        INFO(key);
        CHECK(o.contains(key));
    }
    CHECK(o.at("start_unix_ms").as_int64() == 1'700'000'000'000);
    CHECK(o.at("requests").to_number<double>() == 1);
    CHECK(o.at("status_codes").at("200").to_number<double>() == 1);
    CHECK(o.at("generator_cpu_pct").as_double() == 25.0);
    CHECK(o.at("generator_bottleneck").as_bool() == false);
    CHECK(o.at("loop_lag_ms").as_object().contains("p99"));
    const auto& errors = o.at("errors").as_object();
    CHECK(errors.size() == 11);
    for (const char* cls : {"connect_refused", "connect_timeout", "timeout", "reset", "protocol", "tls", "dns",
                            "http_4xx", "http_5xx", "dropped", "check"})
        CHECK(errors.at(cls).to_number<double>() == 0);
    const auto& lat = o.at("latency_ms").as_object();
    for (const char* k : {"min", "mean", "p50", "p90", "p95", "p99", "p999", "max"}) CHECK(lat.contains(k));
    CHECK(lat.at("max").as_double() == Approx(12.0).epsilon(0.001));
    CHECK(o.at("service_time_ms").at("max").as_double() == Approx(11.0).epsilon(0.001));
    CHECK(o.at("send_lag_ms").at("max").as_double() == 0.25);
    CHECK(faultline::decode_compressed_base64(o.at("hdr").as_string()).total_count() == 1);
    const auto& iv = o.at("intervals").as_array().at(0).as_object();
    for (const char* k : {"t_s", "requests", "status_codes", "errors", "error_rate", "p50_ms", "p95_ms", "p99_ms",
                          "max_ms", "hdr"}) {
        INFO(k);
        CHECK(iv.contains(k));
    }
    CHECK(o.at("interrupted").as_bool() == false);
    CHECK(o.at("thresholds").as_array().empty());
    CHECK(o.at("faults").as_array().empty());
    CHECK(o.at("aborted").as_bool() == false);
    CHECK(o.at("abort_reason").is_null());
    CHECK(o.at("run").at("scenario").is_string());
}

TEST_CASE("the result JSON writes verdicts with their units, and per-step intervals") {
    faultline::RunResult r;
    r.info.interval = 1s;
    faultline::IntervalResult iv;
    iv.hdr = faultline::encode_compressed_base64(faultline::Histogram::latency_us());
    faultline::StepResult step;
    step.name = "login";
    step.stats.intervals = {iv, iv};
    r.steps.push_back(step);
    r.slo.latency.push_back({"p99.9", 99.9, 250ms});
    r.slo.errors = 0;
    r.slo.recovery_time = 30s;
    r.thresholds.push_back({"latency.p99.9", 250.0, 251.0004, "ms", false});
    r.thresholds.push_back({"errors", 0.0, 3.0, "count", false});
    r.thresholds.push_back({"error_rate", 0.001, 0.0123456789, "fraction", false});
    r.thresholds.push_back({"recovery_time.0", 30.0, std::nullopt, "s", false});
    faultline::FaultImpact f;
    f.window.proxies = {"api", "db"};
    f.window.type = "latency";
    f.window.start_s = 10;
    f.window.end_s = 20;
    f.window.applied_start_s = 10.004;
    f.time_to_impact_s = 1;
    f.worst_p99_ms = 812.5;
    f.worst_error_rate = 0.25;
    r.faults.push_back(f);
    r.aborted = true;
    r.abort_reason = "error_rate 12.0% > 1.0% for 10s since t=40s";
    r.service_logs = {"logs/db.log"};
    const json::object o = faultline::result_to_json(r).as_object();
    CHECK(o.at("steps").at(0).at("intervals").as_array().size() == 2);
    CHECK(json::serialize(o.at("thresholds")) ==
          R"([{"name":"latency.p99.9","limit":2.5E2,"value":2.51E2,"unit":"ms","ok":false},)"
          R"({"name":"errors","limit":0,"value":3,"unit":"count","ok":false},)"
          R"({"name":"error_rate","limit":1E-3,"value":1.2346E-2,"unit":"fraction","ok":false},)"
          R"({"name":"recovery_time.0","limit":3E1,"value":null,"unit":"s","ok":false}])");
    const auto& fj = o.at("faults").at(0).as_object();
    CHECK(fj.at("proxies").as_array().size() == 2);
    CHECK(fj.at("service").is_null());
    CHECK(fj.at("applied_start_s").as_double() == 10.004);
    CHECK(fj.at("applied_end_s").is_null());
    CHECK(fj.at("time_to_impact_s").as_double() == 1.0);
    CHECK(fj.at("recovery_time_s").is_null());
    CHECK(fj.at("recovered").as_bool() == false);
    CHECK(fj.at("worst_p99_ms").as_double() == 812.5);
    CHECK(o.at("aborted").as_bool());
    CHECK(o.at("abort_reason").as_string() == r.abort_reason);
    CHECK(o.at("service_logs").at(0).as_string() == "logs/db.log");
    const auto& slo = o.at("slo").as_object();
    CHECK(json::serialize(slo.at("latency")) == R"([{"key":"p99.9","percentile":9.99E1,"limit_ms":2.5E2}])");
    CHECK(slo.at("errors").to_number<double>() == 0);
    CHECK(slo.at("error_rate").is_null());
    CHECK(slo.at("recovery_time_s").as_double() == 30.0);
    CHECK(slo.at("recovery_intervals").to_number<double>() == 5);
}

TEST_CASE("results are written atomically") {
    const auto dir = std::filesystem::temp_directory_path() / "faultline_atomic_test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "r.json";
    faultline::write_file_atomically(path, "{\"a\":1}\n");
    faultline::write_file_atomically(path, "{\"a\":2}\n");
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    CHECK(ss.str() == "{\"a\":2}\n");
    std::size_t files = 0;
    for (auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);  // no temporary left behind
    CHECK_THROWS_WITH(faultline::write_file_atomically(dir / "missing" / "r.json", "x"), Catch::Contains("cannot write"));
    std::filesystem::remove_all(dir);
}
