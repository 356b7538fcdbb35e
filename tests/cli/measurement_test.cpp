// How well `faultline run` measures, end to end against the real demo target on 127.0.0.1:
// timing accuracy at a constant rate ([perf], release pass only), coordinated omission
// against a target that stalls every response, and the generator-bottleneck flag.
// Measured vs expected is always logged (WARN). bench/timing-accuracy.sh is the long form.
#include <catch2/catch.hpp>

#include "tests/cli/run_harness.hpp"

using namespace faultline::test;
namespace json = boost::json;

namespace {

double ms(const json::object& result, const char* group, const char* key) { return num(result.at(group).at(key)); }

bool has_warning(const json::object& result, std::string_view text) {
    for (const auto& w : result.at("warnings").as_array())
        if (std::string_view(w.as_string()).find(text) != std::string_view::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("timing accuracy: 500 req/s against a 50 ms target measures 50 ms", "[perf]") {
    // The harness starts the target with --jitter 0 --error-rate 0: every answer takes 50 ms.
    DemoTarget target({"--latency", "50ms"});
    auto r = run_faultline({"--url", target.url() + "/", "--rate", "500", "--duration", "5s", "--threads", "1"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const auto& j = r.result;
    const double p50 = ms(j, "latency_ms", "p50"), p99 = ms(j, "latency_ms", "p99");
    const double send_p99 = ms(j, "send_lag_ms", "p99"), loop_p99 = ms(j, "loop_lag_ms", "p99");
    WARN("500 req/s x 5 s vs a 50 ms target: P50 " << p50 << " ms (expected 50 +- 2.5), P99 " << p99
                                                   << " ms (expected 50..60), send lag P99 " << send_p99
                                                   << " ms (expected < 5), loop lag P99 " << loop_p99
                                                   << " ms, service P50 " << ms(j, "service_time_ms", "p50")
                                                   << " ms, generator CPU " << num(j.at("generator_cpu_pct")) << "%");
    CHECK(num(j.at("requests")) == 2500);
    CHECK(num(j.at("status_codes").at("200")) == 2500);
    CHECK(p50 == Approx(50.0).epsilon(0.05));
    CHECK(p99 >= 50.0);
    CHECK(p99 <= 60.0);
    CHECK(send_p99 < 5.0);
}

TEST_CASE("coordinated omission: a 2 s stall of every response shows in the corrected P99, not in service time",
          "[socket]") {
    // 1-3 ms answers, except that every response due 3 s..5 s after the first request is held
    // until 5 s. 4 connections: during the stall the arrivals wait for a connection, as a
    // closed-loop tool's next request would; the pending queue is big enough to keep them all.
    DemoTarget target({"--latency", "2ms", "--jitter", "1ms", "--stall-at", "3s", "--stall-for", "2s"});
    auto r = run_faultline({"--url", target.url() + "/", "--rate", "100", "--duration", "10s", "--connections", "4",
                            "--max-pending", "1000"},
                           std::chrono::seconds(90));
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const auto& j = r.result;
    const double corrected_p99 = ms(j, "latency_ms", "p99"), corrected_max = ms(j, "latency_ms", "max");
    const double service_p50 = ms(j, "service_time_ms", "p50"), service_p99 = ms(j, "service_time_ms", "p99");
    WARN("stall 3..5 s at 100 req/s on 4 connections: corrected P99 " << corrected_p99
                                                                      << " ms (expected ~1900, >= 1800), max "
                                                                      << corrected_max << " ms (expected ~2000); service P50 "
                                                                      << service_p50 << " ms (expected 1-3, < 20), P99 "
                                                                      << service_p99 << " ms (expected a few ms)");
    // Every arrival was sent and answered: the stall is in the latencies, not in the counts.
    CHECK(num(j.at("requests")) == 1000);
    CHECK(num(j.at("status_codes").at("200")) == 1000);
    CHECK(err(j, "dropped") == 0);
    CHECK(corrected_p99 >= 1800.0);
    CHECK(corrected_max <= 2500.0);
    CHECK(service_p50 < 20.0);
    // What a tool timing from the actual send reports: the stall all but vanishes.
    CHECK(service_p99 < corrected_p99 / 10);
    // The stall lands in the intervals where the requests were meant to go.
    const auto& intervals = j.at("intervals").as_array();
    REQUIRE(intervals.size() >= 10);
    const auto iv = [&](std::size_t i, const char* key) { return num(intervals[i].at(key)); };
    WARN("interval max ms: 2 s " << iv(2, "max_ms") << ", 3 s " << iv(3, "max_ms") << ", 4 s " << iv(4, "max_ms")
                                 << ", 7 s " << iv(7, "max_ms"));
    CHECK(iv(3, "max_ms") >= 1800.0);
    CHECK(iv(4, "max_ms") >= 800.0);
    CHECK(iv(1, "p99_ms") < 100.0);
    CHECK(iv(7, "p99_ms") < 100.0);
}

TEST_CASE("a schedule one thread cannot keep flags the generator as the bottleneck", "[socket]") {
    // 5 million arrivals per second on one thread: the schedule of 100,000 requests spans
    // 20 ms, and no single event loop issues (or drops) an arrival every 200 ns, so sends run
    // far behind it. The small pool keeps the run short: most arrivals are dropped.
    DemoTarget target;
    auto r = run_faultline({"--url", target.url() + "/", "--rate", "5000000", "--requests", "100000", "--threads", "1",
                            "--connections", "16", "--max-pending", "16"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const auto& j = r.result;
    const double send_p99 = ms(j, "send_lag_ms", "p99"), loop_p99 = ms(j, "loop_lag_ms", "p99");
    WARN("5M/s on 1 thread: send lag P99 " << send_p99 << " ms (expected > 5), loop lag P99 " << loop_p99
                                           << " ms, generator CPU " << num(j.at("generator_cpu_pct")) << "%, "
                                           << num(j.at("requests")) << " issued, " << err(j, "dropped") << " dropped");
    CHECK(num(j.at("requests")) + err(j, "dropped") == 100000);
    CHECK(send_p99 > 5.0);
    CHECK(j.at("generator_bottleneck").as_bool());
    CHECK(has_warning(j, "send lag P99"));
    CHECK(r.out.find("WARNING: sends ran late") != std::string::npos);
}
