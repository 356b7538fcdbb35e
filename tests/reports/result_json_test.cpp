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
                            "generator_cpu_pct", "send_lag_ms", "loop_lag_ms", "warnings", "intervals"}) {
        INFO(key);
        CHECK(o.contains(key));
    }
    CHECK(o.at("start_unix_ms").as_int64() == 1'700'000'000'000);
    CHECK(o.at("requests").to_number<double>() == 1);
    CHECK(o.at("status_codes").at("200").to_number<double>() == 1);
    CHECK(o.at("generator_cpu_pct").as_double() == 25.0);
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
