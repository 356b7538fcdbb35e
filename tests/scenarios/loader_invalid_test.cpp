// One real file per class of error under tests/data/scenarios/invalid/, each asserting the
// exact FILE:LINE:COL: message lines the loader reports (all of them, in order).
#include <catch2/catch.hpp>

#include "scenarios/loader.hpp"
#include "tests/support/paths.hpp"

using namespace faultline;

namespace {

std::filesystem::path invalid_dir() { return test::source_dir() / "tests/data/scenarios/invalid"; }

std::vector<std::string> diagnostics_of(const std::string& name) {
    LoadOptions options;
    options.use_process_env = false;
    const auto result = load_scenario_file(invalid_dir() / name, options);
    CHECK_FALSE(result.ok());
    CHECK_FALSE(result.scenario);
    std::vector<std::string> lines;
    for (const auto& d : result.diagnostics) lines.push_back(format(d));
    return lines;
}

// Expected lines are written relative to the invalid/ directory: "file.yaml:L:C: message".
void check_file(const std::string& name, std::vector<std::string> expected) {
    for (auto& line : expected) line = (invalid_dir() / line).string();
    INFO(name);
    CHECK(diagnostics_of(name) == expected);
}

}  // namespace

TEST_CASE("invalid YAML is reported at the parser's mark", "[loader]") {
    check_file("invalid_yaml.yaml", {"invalid_yaml.yaml:4:5: invalid YAML: end of map flow not found"});
}

TEST_CASE("unknown keys get a did-you-mean suggestion", "[loader]") {
    check_file("unknown_key.yaml", {
        "unknown_key.yaml:4:25: unknown key 'methdo' in flow[0].request; did you mean 'method'?",
        "unknown_key.yaml:5:5: unknown key 'expcet' in flow[0]; did you mean 'expect'?",
    });
}

TEST_CASE("wrong types name the key and show the value", "[loader]") {
    check_file("wrong_type.yaml", {
        "wrong_type.yaml:2:22: http.connections: expected an integer, got 'many'",
        "wrong_type.yaml:2:40: http.keep_alive: expected true or false, got '3'",
    });
}

TEST_CASE("unparsable durations and rates", "[loader]") {
    check_file("bad_duration.yaml", {"bad_duration.yaml:2:31: load.duration: '10 seconds' is not a duration: "
                                     "unknown unit ' seconds' (use ns, us, ms, s, m or h)"});
    check_file("bad_rate.yaml", {"bad_rate.yaml:4:30: load.stages[0].rate: 'fast' is not a rate: expected N/s or "
                                 "N/m (e.g. 100/s)"});
}

TEST_CASE("undefined variables point inside the template", "[loader]") {
    check_file("undefined_variable.yaml", {"undefined_variable.yaml:9:19: flow[1].request.path: undefined "
                                           "variable 'tokn'; did you mean 'token'?"});
    check_file("undefined_env.yaml", {"undefined_env.yaml:1:17: target: undefined environment variable "
                                      "'FAULTLINE_TEST_UNSET_HOST' (set it with -e FAULTLINE_TEST_UNSET_HOST=VALUE "
                                      "or in the environment)"});
}

TEST_CASE("CSV files: missing, and rows with the wrong field count", "[loader]") {
    check_file("missing_csv.yaml", {"missing_csv.yaml:3:17: data.users.csv: cannot read '" +
                                    (invalid_dir() / "no_such_file.csv").string() + "'"});
    check_file("csv_field_count.yaml", {
        "bad_rows.csv:3:1: row has 1 field, the header has 2",
        "bad_rows.csv:4:1: row has 3 fields, the header has 2",
    });
}

TEST_CASE("flows: empty, both or neither of flow and scenarios", "[loader]") {
    check_file("empty_flow.yaml", {"empty_flow.yaml:3:7: flow: empty flow (add at least one step)"});
    check_file("flow_and_scenarios.yaml", {"flow_and_scenarios.yaml:6:3: give either 'flow' or 'scenarios', not both"});
    check_file("no_flow.yaml", {"no_flow.yaml:1:1: no flow: add 'flow' (a list of steps) or 'scenarios' (weighted "
                                "flows)"});
    check_file("duplicate_step.yaml", {"duplicate_step.yaml:5:5: duplicate step name 'GET /items' (first used at "
                                       "line 4); give the step a unique 'name'"});
}

TEST_CASE("no load, bad target, bad status, bad JSONPath, bad regex", "[loader]") {
    check_file("no_load.yaml", {"no_load.yaml:1:1: no load: add a 'load' section (e.g. load: { rate: 10/s, duration: "
                                "30s })"});
    check_file("bad_target.yaml", {"bad_target.yaml:1:9: target: 'ftp://127.0.0.1/files' is not a usable URL: "
                                   "unsupported scheme 'ftp' (use http or https)"});
    check_file("bad_status.yaml", {"bad_status.yaml:5:29: flow[0].expect.status: invalid status code '700' "
                                   "(expected 100 to 599)"});
    check_file("bad_jsonpath.yaml", {"bad_jsonpath.yaml:5:31: flow[0].extract.token.json: invalid JSONPath 'token': "
                                     "it must start with '$' (e.g. $.token)"});
    check_file("bad_regex.yaml", {"bad_regex.yaml:5:29: flow[0].extract.id.regex: invalid regular expression "
                                  "'id=(\\d+': Mismatched '(' and ')' in regular expression"});
}

TEST_CASE("several errors in one file are all reported, in file order", "[loader]") {
    check_file("multiple_errors.yaml", {
        "multiple_errors.yaml:3:18: http.timeout: 'soon' is not a duration: expected a number followed by ms, s, m "
        "or h (e.g. 250ms)",
        "multiple_errors.yaml:3:24: unknown key 'conections' in http; did you mean 'connections'?",
        "multiple_errors.yaml:4:15: load.rate: '10/x' is not a rate: unknown unit '/x' (use /s, /m or /h)",
        "multiple_errors.yaml:6:26: flow[0].request.path: undefined variable 'nope'",
        "multiple_errors.yaml:7:23: flow[0].expect.status: invalid status code '999' (expected 100 to 599)",
        "multiple_errors.yaml:7:37: flow[0].expect.latency: expected '< DURATION' (e.g. \"< 250ms\"), got 'under 1s'",
        "multiple_errors.yaml:8:12: flow[1].think: '5' is not a duration: a unit is required (ns, us, ms, s, m or "
        "h) (use a duration like 200ms or a range like 100ms..500ms)",
    });
}

TEST_CASE("an unreadable scenario file and a bad --target are diagnostics too", "[loader]") {
    const auto missing = load_scenario_file(invalid_dir() / "nope.yaml", LoadOptions{});
    REQUIRE(missing.diagnostics.size() == 1);
    CHECK(format(missing.diagnostics[0]) == (invalid_dir() / "nope.yaml").string() + ": cannot read the scenario file");

    LoadOptions options;
    options.target_override = "ftp://x";
    const auto r = load_scenario_text("load: {rate: 1/s, duration: 1s}\nflow: [{request: {path: /}}]\n", "t.yaml", ".",
                                      options);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(format(r.diagnostics[0]) == "--target: 'ftp://x' is not a usable URL: unsupported scheme 'ftp' (use http or https)");
}

TEST_CASE("chaos: unknown toxic types and attributes, attribute units", "[loader][chaos]") {
    check_file("unknown_toxic.yaml", {
        "unknown_toxic.yaml:6:56: faults[0].toxic.type: unknown toxic type 'latncy'; did you mean 'latency'?",
        "unknown_toxic.yaml:7:79: faults[1].toxic.attributes: unknown attribute 'jiter' for a latency toxic; did you "
        "mean 'jitter'?",
    });
    check_file("bad_toxic_unit.yaml", {
        "bad_toxic_unit.yaml:6:88: faults[0].toxic.attributes.latency: '1500us' is not a whole number of milliseconds "
        "(Toxiproxy's unit here)",
        "bad_toxic_unit.yaml:7:87: faults[1].toxic.attributes.rate: '1MB' is not a rate: expected a size per second "
        "(e.g. 1MB/s, 500KB/s) or an integer in KB/s",
    });
}

TEST_CASE("chaos: undefined proxies and services", "[loader][chaos]") {
    check_file("undefined_proxy.yaml", {
        "undefined_proxy.yaml:1:17: target: undefined variable 'proxies.web.listen'; did you mean 'proxies.db.listen'?",
        "undefined_proxy.yaml:6:37: faults[0].proxy: undefined proxy 'bd' (declared: db)",
    });
    check_file("undefined_service.yaml", {
        "undefined_service.yaml:7:39: faults[0].service: undefined service 'apj'; did you mean 'api'?",
        "undefined_service.yaml:8:52: faults[1].action: unknown action 'freeze' (expected pause, kill or restart)",
    });
}

TEST_CASE("chaos: fault kinds, overlapping faults", "[loader][chaos]") {
    check_file("fault_kind.yaml", {
        "fault_kind.yaml:6:5: faults[0]: give one of 'toxic', 'partition: true', 'enabled: false' or 'service' + "
        "'action'",
        "fault_kind.yaml:7:67: faults[1]: give only one of 'toxic', 'partition', 'enabled' or 'service' (found "
        "'partition' and 'enabled')",
        "fault_kind.yaml:8:26: faults[2].duration: must be greater than zero",
    });
    check_file("overlapping_faults.yaml", {"overlapping_faults.yaml:7:5: faults[1]: overlaps faults[0] from 25s: "
                                            "both disable proxy 'db'; move one of them"});
}

TEST_CASE("chaos: bad proxies and services", "[loader][chaos]") {
    check_file("bad_proxy.yaml", {
        "bad_proxy.yaml:6:13: proxies[1].name: duplicate proxy name 'db'",
        "bad_proxy.yaml:6:25: proxies[1].listen: '127.0.0.1' is not host:port",
    });
    check_file("bad_service.yaml", {
        "bad_service.yaml:5:27: services[0].command: empty list (give the program and its arguments)",
        "bad_service.yaml:6:90: services[1].ready: give either 'http' or 'tcp', not both",
    });
}

TEST_CASE("slo: bad limits and step names, abort naming a limit slo does not set", "[loader][slo]") {
    check_file("bad_slo.yaml", {
        "bad_slo.yaml:5:26: slo.latency: 'p100' is not a percentile (use p50, p95, p99, p99.9, p999 or max)",
        "bad_slo.yaml:6:15: slo.error_rate: 5 is not a fraction between 0 and 1 (write 5% for a percentage)",
        "bad_slo.yaml:7:12: slo.steps: no step named 'logn'; did you mean 'login'?",
    });
    check_file("abort_without_limit.yaml", {
        "abort_without_limit.yaml:5:18: abort.when[0]: 'error_rate' needs slo.error_rate (set it, or remove it here)",
        "abort_without_limit.yaml:5:30: abort.when[1]: 'latency.p99' needs slo.latency.p99 (set it, or remove it "
        "here)",
    });
}
