// Issue 5's acceptance run: a scenario starts the demo target as a service behind an
// embedded proxy, injects latency, then a partition, then pauses the service. The result
// must show impact and recovery where the faults were, thresholds evaluated, every report
// format written; and the abort stops a run early, with exit 1.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "tests/cli/run_harness.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;
namespace json = boost::json;

namespace {



void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

// The demo target as a service on `port`, reached through the embedded proxy `api`.
std::string system_under_test(std::uint16_t port) {
    return fmt::format(R"(proxies:
  - {{ name: api, listen: "127.0.0.1:0", upstream: "127.0.0.1:{port}" }}
services:
  - name: api
    command: ["{demo}", --port, "{port}", --latency, 2ms, --jitter, 0ms, --error-rate, "0"]
    ready: {{ http: "http://127.0.0.1:{port}/health", timeout: 10s }}
target: "http://{{{{proxies.api.listen}}}}"
http: {{ timeout: 1s }}
flow:
  - request: {{ path: / }}
)",
                       fmt::arg("port", port), fmt::arg("demo", FAULTLINE_DEMO_TARGET));
}

const json::object& fault(const json::object& result, std::size_t i) {
    return result.at("faults").as_array().at(i).as_object();
}

const json::object* threshold(const json::object& result, std::string_view name) {
    for (const auto& t : result.at("thresholds").as_array())
        if (t.at("name").as_string() == name) return &t.as_object();
    return nullptr;
}

// Times are quantised to the 250 ms interval; allow one interval more than the ideal.
constexpr double kInterval = 0.25;

void check_window(const json::object& f, const char* type, double start, double end) {
    INFO("fault " << type << ": " << json::serialize(f));
    CHECK(f.at("type").as_string() == type);
    CHECK(num(f.at("start_s")) == Approx(start));
    CHECK(num(f.at("end_s")) == Approx(end));
    // Applied on the run's clock within max(10 ms, 1%).
    CHECK(std::abs(num(f.at("applied_start_s")) - start) <= 0.02);
    CHECK(std::abs(num(f.at("applied_end_s")) - end) <= 0.02);
    REQUIRE(f.at("time_to_impact_s").is_number());
    CHECK(num(f.at("time_to_impact_s")) <= kInterval);
    REQUIRE(f.at("recovered").as_bool());
    CHECK(num(f.at("recovery_time_s")) <= 4 * kInterval);
}

}  // namespace

TEST_CASE("latency, partition and pause on a real service: impact, recovery, thresholds, reports", "[socket]") {
    TempDir dir;
    const auto scenario = dir.path() / "chaos.yaml";
    write(scenario, "name: chaos-e2e\n" + system_under_test(unused_port()) + R"(load: { rate: 100/s, duration: 13s }
faults:
  - { at: 2s, duration: 2s, proxy: api, toxic: { type: latency, attributes: { latency: 300ms } } }
  - { at: 6s, duration: 2s, proxy: api, partition: true }
  - { at: 10s, duration: 1s, service: api, action: pause }
slo:
  latency: { p99: 100ms }
  error_rate: 50%
  recovery_time: 2s
  recovery_intervals: 2
)");
    const auto html = dir.path() / "report.html", junit = dir.path() / "junit.xml", hlog = dir.path() / "run.hlog";
    const auto json_path = dir.path() / "result.json";
    auto r = run_faultline({scenario.string(), "--interval", "250ms", "--json", json_path.string(), "--html",
                            html.string(), "--junit", junit.string(), "--hdr-log", hlog.string()},
                           60s, false);
    INFO(r.out << r.err);
    // P99 over the whole run is dominated by the faults: that threshold fails, so exit 1.
    CHECK(r.status == ExitStatus::exited(1));
    const auto result = json::parse(read_text(json_path)).as_object();
    REQUIRE(result.at("faults").as_array().size() == 3);
    check_window(fault(result, 0), "latency", 2, 4);
    check_window(fault(result, 1), "partition", 6, 8);
    check_window(fault(result, 2), "pause", 10, 11);
    CHECK(fault(result, 0).at("proxies").as_array() == json::array{"api"});
    CHECK(fault(result, 2).at("service").as_string() == "api");
    CHECK(fault(result, 2).at("proxies").as_array().empty());
    // The latency toxic adds 300 ms to responses intended in its window.
    CHECK(num(fault(result, 0).at("worst_p99_ms")) >= 290);
    CHECK(num(fault(result, 1).at("worst_error_rate")) > 0.5);

    const auto* p99 = threshold(result, "latency.p99");
    REQUIRE(p99 != nullptr);
    CHECK_FALSE(p99->at("ok").as_bool());
    CHECK(p99->at("unit").as_string() == "ms");
    CHECK(num(p99->at("value")) > 100);
    const auto* errors = threshold(result, "error_rate");
    REQUIRE(errors != nullptr);
    CHECK(errors->at("ok").as_bool());
    for (int i = 0; i < 3; ++i) {
        const auto* rt = threshold(result, fmt::format("recovery_time.{}", i));
        REQUIRE(rt != nullptr);
        CHECK(rt->at("ok").as_bool());
        CHECK(rt->at("unit").as_string() == "s");
    }
    CHECK_FALSE(result.at("aborted").as_bool());
    // Between faults the service is healthy again: most intervals are fine.
    std::size_t healthy_p99 = 0;
    for (const auto& iv : result.at("intervals").as_array())
        if (num(iv.at("p99_ms")) < 100 && num(iv.at("error_rate")) == 0) ++healthy_p99;
    CHECK(healthy_p99 >= 20);

    // The service's output is kept next to the result.
    REQUIRE(result.at("service_logs").as_array().size() == 1);
    CHECK(std::filesystem::exists(std::string(result.at("service_logs").as_array()[0].as_string())));

    const auto page = read_text(html);
    CHECK(page.find("<svg") != std::string::npos);
    CHECK(page.find("fault-band") != std::string::npos);
    const auto xml = read_text(junit);
    CHECK(xml.find("name=\"latency.p99\"") != std::string::npos);
    CHECK(xml.find("<failure") != std::string::npos);
    const auto log = read_text(hlog);
    CHECK(log.find("#[Histogram log format version 1.3]") != std::string::npos);
    CHECK(log.find("Tag=") != std::string::npos);
}

TEST_CASE("the abort safety stop ends the run early, removes the fault and exits 1", "[socket]") {
    TempDir dir;
    const auto scenario = dir.path() / "abort.yaml";
    write(scenario, "name: chaos-abort\n" + system_under_test(unused_port()) + R"(load: { rate: 50/s, duration: 30s }
faults:
  - { at: 1s, duration: 25s, proxy: api, partition: true }
slo:
  error_rate: 1%
abort: { when: [error_rate], for: 1s }
)");
    const auto json_path = dir.path() / "result.json";
    auto r = run_faultline({scenario.string(), "--interval", "250ms", "--json", json_path.string()}, 60s, false);
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(1));
    const auto result = json::parse(read_text(json_path)).as_object();
    CHECK(result.at("aborted").as_bool());
    CHECK_FALSE(std::string(result.at("abort_reason").as_string()).empty());
    // Partition at 1 s, timeouts of 1 s make the intervals fail from about 1 s on; the
    // verdict needs 1 s of failing intervals, each known once its requests timed out.
    CHECK(num(result.at("duration_s")) < 8);
    CHECK(r.elapsed < 20s);
    const auto& f = fault(result, 0);
    INFO(json::serialize(f));
    // Removed when the run was aborted, long before its scheduled end.
    REQUIRE(f.at("applied_end_s").is_number());
    CHECK(num(f.at("applied_end_s")) < 10);
}

TEST_CASE("a service that cannot start is a setup failure: exit 3, nothing sent", "[socket]") {
    TempDir dir;
    const auto scenario = dir.path() / "bad_service.yaml";
    write(scenario, R"(name: bad-service
services:
  - name: api
    command: ["/nonexistent/faultline-no-such-program"]
target: "http://127.0.0.1:1"
load: { rate: 10/s, duration: 1s }
flow:
  - request: { path: / }
)");
    auto r = run_faultline({scenario.string()}, 30s);
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(3));
    CHECK(r.err.find("faultline-no-such-program") != std::string::npos);
    CHECK(r.result.empty());  // no result: nothing was run
}
