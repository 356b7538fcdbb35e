// slo: and abort: of a scenario file.
#include <catch2/catch.hpp>

#include "scenarios/loader.hpp"
#include "scenarios/loader_parts.hpp"
#include "tests/support/paths.hpp"

using namespace faultline;
using namespace std::chrono_literals;

namespace {

const std::string kBase = "target: http://127.0.0.1:1\nload: {rate: 1/s, duration: 1m}\n"
                          "flow: [{name: login, request: {path: /}}, {request: {path: /cart}}]\n";

LoadResult load_text(const std::string& yaml) {
    LoadOptions options;
    options.use_process_env = false;
    return load_scenario_text(yaml, "t.yaml", ".", options);
}

Scenario load_ok(const std::string& extra) {
    auto r = load_text(kBase + extra);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    return std::move(*r.scenario);
}

std::string only_error(const std::string& extra) {
    const auto r = load_text(kBase + extra);
    INFO(extra);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.diagnostics.size() == 1);
    return format(r.diagnostics[0]);
}

}  // namespace

TEST_CASE("percentile keys", "[loader][slo]") {
    CHECK(percentile_of("p50") == 50.0);
    CHECK(percentile_of("p5") == 5.0);
    CHECK(percentile_of("p99.9") == 99.9);
    CHECK(percentile_of("p999") == 99.9);
    CHECK(percentile_of("p9999") == 99.99);
    CHECK(percentile_of("p99.99") == 99.99);
    CHECK(percentile_of("max") == 100.0);
    CHECK_FALSE(percentile_of("p100"));
    CHECK_FALSE(percentile_of("p0"));
    CHECK_FALSE(percentile_of("p"));
    CHECK_FALSE(percentile_of("p.5"));
    CHECK_FALSE(percentile_of("p123"));
    CHECK_FALSE(percentile_of("95"));
    CHECK_FALSE(percentile_of("p95ms"));
}

TEST_CASE("chaos.yaml: the slo and abort of the issue", "[loader][slo]") {
    LoadOptions options;
    options.use_process_env = false;
    options.env = {{"MODE", "x"}};
    const auto r = load_scenario_file(test::source_dir() / "tests/data/scenarios/valid/chaos.yaml", options);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    const auto& slo = r.scenario->slo;
    REQUIRE(slo.latency.size() == 2);
    CHECK(slo.latency[0].key == "p95");
    CHECK(slo.latency[0].percentile == 95.0);
    CHECK(slo.latency[0].limit == 100ms);
    CHECK(slo.latency[1].key == "p99");
    CHECK(slo.latency[1].limit == 250ms);
    CHECK(slo.error_rate == Approx(0.001));
    CHECK(slo.availability == Approx(0.999));
    CHECK(slo.recovery_time == 30s);
    CHECK(slo.recovery_intervals == 5);
    CHECK(slo.errors == 0u);
    CHECK(slo.throughput_per_s == 5000.0);
    REQUIRE(slo.steps.size() == 1);
    CHECK(slo.steps[0].step == "login");
    REQUIRE(slo.steps[0].latency.size() == 1);
    CHECK(slo.steps[0].latency[0].limit == 300ms);
    CHECK(slo.steps[0].error_rate == Approx(0.01));
    REQUIRE(r.scenario->abort);
    CHECK(r.scenario->abort->when == std::vector<std::string>{"error_rate", "latency.p99"});
    CHECK(r.scenario->abort->for_duration == 10s);
}

TEST_CASE("slo: fractions, max, defaults, no slo means an empty SloSpec", "[loader][slo]") {
    auto s = load_ok("slo: {latency: {max: 2s, p99.9: 1s}, error_rate: 0.002, availability: 1, throughput: 300/m}\n");
    CHECK(s.slo.latency[0].percentile == 100.0);
    CHECK(s.slo.latency[1].key == "p99.9");
    CHECK(s.slo.error_rate == 0.002);
    CHECK(s.slo.availability == 1.0);
    CHECK(s.slo.throughput_per_s == 5.0);
    CHECK(s.slo.recovery_intervals == 5);
    CHECK_FALSE(s.slo.errors);
    CHECK_FALSE(s.abort);
    s = load_ok("slo: {steps: {'GET /cart': {error_rate: 0%}}}\n");
    CHECK(s.slo.steps.at(0).step == "GET /cart");
    CHECK(s.slo.steps.at(0).error_rate == 0.0);
    s = load_ok("");
    CHECK_FALSE(s.slo.has_health_limits());
    CHECK(s.slo.steps.empty());
    // latency.p999 names the limit written p99.9, stored as written in slo.
    s = load_ok("slo: {latency: {p99.9: 1s}}\nabort: {when: [latency.p999], for: 5s}\n");
    CHECK(s.abort->when == std::vector<std::string>{"latency.p99.9"});
}

TEST_CASE("slo rules", "[loader][slo]") {
    CHECK(only_error("slo: {latency: {p100: 1s}}\n") ==
          "t.yaml:4:17: slo.latency: 'p100' is not a percentile (use p50, p95, p99, p99.9, p999 or max)");
    CHECK(only_error("slo: {latency: {p99: 1s, p99.0: 2s}}\n") ==
          "t.yaml:4:26: slo.latency: 'p99.0' is the same percentile as 'p99'");
    CHECK(only_error("slo: {latency: {p99: fast}}\n") ==
          "t.yaml:4:22: slo.latency.p99: 'fast' is not a duration: expected a number followed by ms, s, m or h (e.g. "
          "250ms)");
    CHECK(only_error("slo: {latency: {p99: 0s}}\n") == "t.yaml:4:22: slo.latency.p99: must be greater than zero");
    CHECK(only_error("slo: {error_rate: 5}\n") ==
          "t.yaml:4:19: slo.error_rate: 5 is not a fraction between 0 and 1 (write 5% for a percentage)");
    CHECK(only_error("slo: {error_rate: 150%}\n") == "t.yaml:4:19: slo.error_rate: '150%' is not between 0% and 100%");
    CHECK(only_error("slo: {availability: lots}\n") ==
          "t.yaml:4:21: slo.availability: expected a percentage (0.1%) or a fraction (0.001), got 'lots'");
    CHECK(only_error("slo: {recovery_intervals: 0}\n") ==
          "t.yaml:4:27: slo.recovery_intervals: 0 is out of range (1 to 1000000)");
    CHECK(only_error("slo: {errors: -1}\n") ==
          "t.yaml:4:15: slo.errors: -1 is out of range (0 to 9223372036854775807)");
    CHECK(only_error("slo: {throughput: 0/s}\n") ==
          "t.yaml:4:19: slo.throughput: '0/s' is not a rate: must be greater than zero");
    CHECK(only_error("slo: {steps: {logn: {error_rate: 1%}}}\n") ==
          "t.yaml:4:15: slo.steps: no step named 'logn'; did you mean 'login'?");
    CHECK(only_error("slo: {steps: {login: {latncy: {p95: 1s}}}}\n") ==
          "t.yaml:4:23: unknown key 'latncy' in slo.steps.login; did you mean 'latency'?");
    CHECK(only_error("slo: {eror_rate: 1%}\n") ==
          "t.yaml:4:7: unknown key 'eror_rate' in slo; did you mean 'error_rate'?");
    CHECK(only_error("slo: [p99]\n") == "t.yaml:4:6: slo: expected a map, got a list");
}

TEST_CASE("abort rules", "[loader][slo]") {
    CHECK(only_error("abort: {when: [error_rate], for: 10s}\n") ==
          "t.yaml:4:16: abort.when[0]: 'error_rate' needs slo.error_rate (set it, or remove it here)");
    CHECK(only_error("slo: {latency: {p95: 1s}}\nabort: {when: [latency.p99], for: 10s}\n") ==
          "t.yaml:5:16: abort.when[0]: 'latency.p99' needs slo.latency.p99 (set it, or remove it here)");
    CHECK(only_error("slo: {error_rate: 1%}\nabort: {when: [eror_rate], for: 10s}\n") ==
          "t.yaml:5:16: abort.when[0]: unknown limit 'eror_rate'; did you mean 'error_rate'?");
    CHECK(only_error("slo: {error_rate: 1%}\nabort: {when: [throughput], for: 10s}\n") ==
          "t.yaml:5:16: abort.when[0]: unknown limit 'throughput' (use error_rate or latency.pNN)");
    CHECK(only_error("slo: {error_rate: 1%}\nabort: {when: [error_rate]}\n") ==
          "t.yaml:5:8: abort: missing 'for' (how long the limits must be violated, e.g. for: 10s)");
    CHECK(only_error("slo: {error_rate: 1%}\nabort: {when: [error_rate], for: 0s}\n") ==
          "t.yaml:5:34: abort.for: must be greater than zero");
    CHECK(only_error("slo: {error_rate: 1%}\nabort: {when: [], for: 1s}\n") ==
          "t.yaml:5:15: abort.when: empty list (name at least one slo limit)");
    CHECK(only_error("slo: {error_rate: 1%}\nabort: {for: 1s}\n") ==
          "t.yaml:5:8: abort: missing 'when' (the slo limits that stop the run, e.g. [error_rate, latency.p99])");
}

TEST_CASE("a step limit is not reported when the flows already had errors", "[loader][slo]") {
    const auto r = load_text("target: http://127.0.0.1:1\nload: {rate: 1/s, duration: 1m}\n"
                             "flow: [{name: login, request: {path: nope}}]\nslo: {steps: {login: {error_rate: 1%}}}\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(format(r.diagnostics[0]) ==
          "t.yaml:3:38: flow[0].request.path: a path must start with '/' (use 'url:' for a full URL)");
}
