// Smaller rules checked on inline YAML: each snippet must produce exactly one diagnostic.
#include <catch2/catch.hpp>

#include "scenarios/loader.hpp"

using namespace faultline;

namespace {

const std::string kHead = "target: http://127.0.0.1:1\n";
const std::string kLoad = "load: {rate: 1/s, duration: 1s}\n";
const std::string kFlow = "flow: [{request: {path: /}}]\n";

std::string only_error(const std::string& yaml) {
    LoadOptions options;
    options.use_process_env = false;
    const auto r = load_scenario_text(yaml, "t.yaml", ".", options);
    INFO(yaml);
    std::string all;
    for (const auto& d : r.diagnostics) all += format(d) + "\n";
    INFO(all);
    REQUIRE(r.diagnostics.size() == 1);
    return format(r.diagnostics[0]);
}

std::string with_load(const std::string& load) { return only_error(kHead + load + kFlow); }
std::string with_flow(const std::string& flow) { return only_error(kHead + kLoad + flow); }

}  // namespace

TEST_CASE("load rules", "[loader]") {
    CHECK(with_load("load: {rate: 1/s}\n") == "t.yaml:2:7: load: missing 'duration' (how long to keep the rate)");
    CHECK(with_load("load: {model: closed, vus: 2}\n") ==
          "t.yaml:2:7: load: missing 'duration' or 'iterations' (when the virtual users stop)");
    CHECK(with_load("load: {model: open, vus: 2, rate: 1/s, duration: 1s}\n") ==
          "t.yaml:2:26: load.vus: not used by the open model (set model: closed for virtual users)");
    CHECK(with_load("load: {model: sideways, rate: 1/s, duration: 1s}\n") ==
          "t.yaml:2:15: load.model: expected open or closed, got 'sideways'");
    CHECK(with_load("load: {rate: 1/s, stages: [{duration: 1s, rate: 2/s}]}\n") ==
          "t.yaml:2:14: load: give either stages or a constant rate/vus, not both");
    CHECK(with_load("load: {stages: [{duration: 1s}]}\n") == "t.yaml:2:17: load.stages[0]: missing 'rate'");
    CHECK(with_load("load: {stages: [{duration: 0s, rate: 0}]}\n") ==
          "t.yaml:2:28: load.stages[0].duration: must be greater than zero");
    CHECK(with_load("load: {stages: [{duration: 1s, vus: 3}], model: open}\n") ==
          "t.yaml:2:37: load.stages[0].vus: stages of the open model set 'rate'");
    CHECK(with_load("load: {}\n") == "t.yaml:2:7: load: no load given (use rate + duration, or stages)");
    CHECK(with_load("load: {rate: 5/s, duration: 1s, start_rate: 1/s}\n") ==
          "t.yaml:2:45: load.start_rate: a start value ramps into the first stage, so it needs 'stages'");
}

TEST_CASE("step rules", "[loader]") {
    CHECK(with_flow("flow: [{request: {path: x}}]\n") ==
          "t.yaml:3:25: flow[0].request.path: a path must start with '/' (use 'url:' for a full URL)");
    CHECK(with_flow("flow: [{request: {url: 'gopher://x'}}]\n") ==
          "t.yaml:3:24: flow[0].request.url: 'gopher://x' is not a usable URL: unsupported scheme 'gopher' (use http "
          "or https)");
    CHECK(with_flow("flow: [{request: {}}]\n") == "t.yaml:3:18: flow[0].request: missing 'path' (or 'url' for a full URL)");
    CHECK(with_flow("flow: [{request: {path: /, url: 'http://x/'}}]\n") ==
          "t.yaml:3:33: flow[0].request: give either 'path' or 'url', not both");
    CHECK(with_flow("flow: [{request: {path: /, json: {a: 1}, body: x}}]\n") ==
          "t.yaml:3:48: flow[0].request: give either 'json' or 'body', not both");
    CHECK(with_flow("flow: [{request: {path: /, method: 'GE T'}}]\n") ==
          "t.yaml:3:36: flow[0].request.method: 'GE T' is not an HTTP method");
    CHECK(with_flow("flow: [{name: x}]\n") == "t.yaml:3:8: flow[0]: a step needs a 'request' (or is a pause: 'think: 200ms')");
    CHECK(with_flow("flow: [{think: 1s}]\n") == "t.yaml:3:7: flow: the flow has no request step");
    CHECK(with_flow("flow: [{request: {path: /}}, {think: 2s..1s}]\n") ==
          "t.yaml:3:38: flow[1].think: the range '2s..1s' ends before it starts");
    CHECK(with_flow("flow: [{request: {path: /}, extract: {t: {json: $.a, header: X}}}]\n") ==
          "t.yaml:3:42: flow[0].extract.t: give exactly one of json, header or regex");
    CHECK(with_flow("flow: [{request: {path: /}, abort_on_fail: maybe}]\n") ==
          "t.yaml:3:44: flow[0].abort_on_fail: expected true or false, got 'maybe'");
    CHECK(with_flow("flow: {request: {path: /}}\n") == "t.yaml:3:7: flow: expected a list, got a map");
}

TEST_CASE("scenario-level rules", "[loader]") {
    CHECK(only_error("") == "t.yaml:1:1: a scenario must be a map with target, load and flow keys, got nothing");
    CHECK(only_error(std::string(kLoad) + kFlow) ==
          "t.yaml:1:1: no target: add 'target: http://host:port' (or give every step a full 'url')");
    CHECK(only_error(std::string(kHead) + kLoad + "flow: [{request: {url: 'http://x/a'}}]\ntimeout: 1s\n") ==
          "t.yaml:4:1: unknown key 'timeout' in the scenario (expected one of: name, target, tls, http, variables, "
          "data, load, flow, scenarios, proxies, toxiproxy, services, faults, slo, abort)");
    CHECK(only_error(std::string(kHead) + kLoad + "variables: {token: x}\n" +
                     "flow: [{request: {path: /}, extract: {token: {header: X}}}]\n") ==
          "t.yaml:3:13: variable 'token' is also an extract name; rename one of them");
    CHECK(only_error(std::string(kHead) + kLoad + "scenarios: [{name: a, flow: [{request: {path: /a}}]}, "
                                                  "{name: a, weight: 2, flow: [{request: {path: /b}}]}]\n") ==
          "t.yaml:3:62: scenarios[1]: duplicate flow name 'a'");
    CHECK(only_error(std::string(kHead) + kLoad + kFlow + "tls: {ca_file: /nonexistent/ca.pem}\n") ==
          "t.yaml:4:16: tls.ca_file: cannot read '/nonexistent/ca.pem'");
    CHECK(only_error(std::string(kHead) + kLoad + kFlow + "http: {timeout: 0s}\n") ==
          "t.yaml:4:17: http.timeout: must be greater than zero");
}
