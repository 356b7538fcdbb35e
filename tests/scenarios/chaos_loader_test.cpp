// proxies:, toxiproxy:, services: and faults: of a scenario file, and {{proxies.NAME.listen}}.
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "scenarios/loader.hpp"
#include "scenarios/summary.hpp"
#include "tests/support/paths.hpp"

using namespace faultline;
using namespace std::chrono_literals;

namespace {

std::filesystem::path valid_dir() { return test::source_dir() / "tests/data/scenarios/valid"; }

Scenario load_chaos(LoadOptions options = {}) {
    options.use_process_env = false;
    options.env.emplace_back("MODE", "staging");
    auto r = load_scenario_file(valid_dir() / "chaos.yaml", options);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    return std::move(*r.scenario);
}

const std::string kBase = "target: http://127.0.0.1:1\nload: {rate: 1/s, duration: 1m}\nflow: [{request: {path: /}}]\n";

LoadResult load_text(const std::string& yaml) {
    LoadOptions options;
    options.use_process_env = false;
    return load_scenario_text(yaml, "t.yaml", ".", options);
}

std::vector<std::string> errors_of(const std::string& yaml) {
    std::vector<std::string> lines;
    for (const auto& d : load_text(yaml).diagnostics) lines.push_back(format(d));
    return lines;
}

// The one diagnostic a snippet (appended to a valid scenario) produces.
std::string only_error(const std::string& extra) {
    const auto lines = errors_of(kBase + extra);
    INFO(kBase + extra);
    for (const auto& l : lines) UNSCOPED_INFO(l);
    REQUIRE(lines.size() == 1);
    return lines[0];
}

// The toxic of the only fault of `kBase + proxies: [p] + faults: [fault]`.
ToxicDecl toxic_of(const std::string& toxic) {
    const auto r = load_text(kBase + "proxies: [{name: p, upstream: 'h:1'}]\nfaults: [{at: 1s, duration: 1s, proxy: p, "
                                     "toxic: " + toxic + "}]\n");
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    return r.scenario->chaos.faults.at(0).toxic;
}

}  // namespace

TEST_CASE("chaos.yaml: proxies, toxiproxy and services", "[loader][chaos]") {
    const auto s = load_chaos();
    const auto& c = s.chaos;
    REQUIRE(c.proxies.size() == 2);
    CHECK(c.proxies[0].name == "db");
    CHECK(c.proxies[0].listen == "127.0.0.1:0");
    CHECK(c.proxies[0].upstream == "127.0.0.1:5432");
    CHECK(c.proxies[0].pos.line == 5);
    CHECK(c.toxiproxy_url == "http://127.0.0.1:8474");
    REQUIRE(c.services.size() == 2);
    const auto& api = c.services[0];
    CHECK(api.name == "api");
    CHECK(api.command == std::vector<std::string>{"./api", "--db", "127.0.0.1:0", "--port", "18080"});
    CHECK(api.env == std::vector<std::pair<std::string, std::string>>{{"DB_ADDR", "127.0.0.1:0"}, {"MODE", "staging"}});
    CHECK(api.cwd == (valid_dir() / "svc").string());
    CHECK(api.ready.kind == ReadyProbe::Kind::http);
    CHECK(api.ready.target == "http://127.0.0.1:18080/health");
    CHECK(api.ready.timeout == 10s);
    const auto& worker = c.services[1];
    CHECK(worker.cwd == valid_dir().string());  // the scenario file's directory
    CHECK(worker.ready.kind == ReadyProbe::Kind::tcp);
    CHECK(worker.ready.target == "127.0.0.1:0");
    CHECK(worker.ready.timeout == 10s);
}

TEST_CASE("chaos.yaml: faults are sorted by start, toxic attributes in Toxiproxy units", "[loader][chaos]") {
    const auto s = load_chaos();
    const auto& f = s.chaos.faults;
    REQUIRE(f.size() == 6);
    std::vector<std::string> types;
    for (const auto& fault : f) types.push_back(fault.type_name());
    CHECK(types == std::vector<std::string>{"latency", "partition", "disabled", "pause", "restart", "bandwidth"});
    CHECK(f[0].at == 60s);
    CHECK(f[0].duration == 20s);
    CHECK(f[0].proxies == std::vector<std::string>{"db"});
    CHECK(f[0].toxic.stream == "downstream");
    CHECK(f[0].toxic.toxicity == 1.0);
    CHECK(f[0].toxic.name.empty());
    CHECK(boost::json::serialize(f[0].toxic.attributes) == R"({"latency":500,"jitter":50})");
    CHECK(f[0].pos.line == 19);
    // cache is not declared: allowed because toxiproxy: may already have it.
    CHECK(f[1].proxies == std::vector<std::string>{"db", "cache"});
    CHECK(f[1].kind == FaultDecl::Kind::partition);
    CHECK(f[2].kind == FaultDecl::Kind::disabled);
    CHECK(f[3].kind == FaultDecl::Kind::service);
    CHECK(f[3].service == "api");
    CHECK(f[3].action == ServiceAction::pause);
    CHECK(f[3].duration == 5s);
    CHECK(f[4].action == ServiceAction::restart);
    CHECK(f[4].duration == 0s);  // a restart may be instantaneous
    CHECK(f[5].toxic.name == "slow-db");
    CHECK(f[5].toxic.stream == "upstream");
    CHECK(f[5].toxic.toxicity == 0.5);
    CHECK(boost::json::serialize(f[5].toxic.attributes) == R"({"rate":1000})");
}

TEST_CASE("{{proxies.NAME.listen}} is a static: the declared listen, or the runtime value", "[loader][chaos]") {
    auto s = load_chaos();
    CHECK(s.target.literal_text() == "http://127.0.0.1:18081");
    const auto& login = std::get<HttpStep>(s.flows.at(0).steps.at(0));
    REQUIRE(login.headers.at(0).second.is_literal());
    CHECK(login.headers.at(0).second.literal_text() == "127.0.0.1:0");

    LoadOptions options;
    options.runtime = {{"proxies.db.listen", "127.0.0.1:41234"}, {"proxies.api_in.listen", "127.0.0.1:41235"}};
    s = load_chaos(options);
    CHECK(s.target.literal_text() == "http://127.0.0.1:41235");
    const auto& direct = std::get<HttpStep>(s.flows.at(0).steps.at(1));
    REQUIRE(direct.url.is_literal());
    CHECK(direct.url.literal_text() == "http://127.0.0.1:41235/direct");
    CHECK(s.chaos.services[0].command[2] == "127.0.0.1:41234");
    CHECK(s.chaos.services[0].env[0].second == "127.0.0.1:41234");
    CHECK(s.chaos.services[1].ready.target == "127.0.0.1:41234");
    CHECK(s.chaos.proxies[0].listen == "127.0.0.1:0");  // the declaration itself is unchanged
}

TEST_CASE("variables may use {{proxies.NAME.listen}}, listen and upstream may use env", "[loader][chaos]") {
    LoadOptions options;
    options.use_process_env = false;
    options.env = {{"DB", "10.0.0.5:5432"}};
    const auto r = load_scenario_text(kBase + "proxies: [{name: db, upstream: '{{env.DB}}'}]\n"
                                              "variables: {dsn: 'postgres://{{proxies.db.listen}}/app'}\n"
                                              "services: [{name: s, command: [x, '{{dsn}}']}]\n",
                                      "t.yaml", ".", options);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    CHECK(r.scenario->chaos.proxies[0].listen == "127.0.0.1:0");  // the default
    CHECK(r.scenario->chaos.proxies[0].upstream == "10.0.0.5:5432");
    CHECK(r.scenario->chaos.services[0].command[1] == "postgres://127.0.0.1:0/app");
    CHECK(r.scenario->chaos.services[0].ready.kind == ReadyProbe::Kind::none);
}

TEST_CASE("toxic attributes: unit strings and raw integers", "[loader][chaos]") {
    const auto attrs = [](const std::string& toxic) { return boost::json::serialize(toxic_of(toxic).attributes); };
    CHECK(attrs("{type: latency, attributes: {latency: 1.5s, jitter: 20}}") == R"({"latency":1500,"jitter":20})");
    CHECK(attrs("{type: bandwidth, attributes: {rate: 500KB/s}}") == R"({"rate":500})");
    CHECK(attrs("{type: bandwidth, attributes: {rate: 1MiB/s}}") == R"({"rate":1049})");  // rounded
    CHECK(attrs("{type: bandwidth, attributes: {rate: 0}}") == R"({"rate":0})");
    CHECK(attrs("{type: slow_close, attributes: {delay: 2s}}") == R"({"delay":2000})");
    CHECK(attrs("{type: timeout, attributes: {timeout: 0}}") == R"({"timeout":0})");
    CHECK(attrs("{type: reset_peer, attributes: {timeout: 100ms}}") == R"({"timeout":100})");
    CHECK(attrs("{type: slicer, attributes: {average_size: 1KiB, size_variation: 100B, delay: 10us}}") ==
          R"({"average_size":1024,"size_variation":100,"delay":10})");
    CHECK(attrs("{type: slicer, attributes: {average_size: 64, delay: 2ms}}") == R"({"average_size":64,"delay":2000})");
    CHECK(attrs("{type: limit_data, attributes: {bytes: 1MB}}") == R"({"bytes":1000000})");
    CHECK(attrs("{type: noop}") == "{}");
    const auto t = toxic_of("{type: latency, toxicity: 0, name: my.toxic_1}");
    CHECK(t.toxicity == 0.0);
    CHECK(t.name == "my.toxic_1");
    CHECK(t.stream == "downstream");
}

TEST_CASE("toxic rules", "[loader][chaos]") {
    const auto fault = [](const std::string& toxic) {
        return only_error("proxies: [{name: p, upstream: 'h:1'}]\nfaults: [{at: 1s, duration: 1s, proxy: p, toxic: " +
                          toxic + "}]\n");
    };
    CHECK(fault("{type: latncy}") == "t.yaml:5:57: faults[0].toxic.type: unknown toxic type 'latncy'; did you mean "
                                     "'latency'?");
    CHECK(fault("{type: down}") == "t.yaml:5:57: faults[0].toxic.type: unknown toxic type 'down' (expected one of: "
                                   "latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop)");
    CHECK(fault("{type: latency, attributes: {jiter: 5ms}}") ==
          "t.yaml:5:79: faults[0].toxic.attributes: unknown attribute 'jiter' for a latency toxic; did you mean "
          "'jitter'?");
    CHECK(fault("{type: noop, attributes: {x: 1}}") ==
          "t.yaml:5:76: faults[0].toxic.attributes: unknown attribute 'x' for a noop toxic (it takes none)");
    CHECK(fault("{type: latency, attributes: {latency: 1500us}}") ==
          "t.yaml:5:88: faults[0].toxic.attributes.latency: '1500us' is not a whole number of milliseconds "
          "(Toxiproxy's unit here)");
    CHECK(fault("{type: latency, attributes: {latency: -5}}") ==
          "t.yaml:5:88: faults[0].toxic.attributes.latency: must not be negative, got -5");
    CHECK(fault("{type: bandwidth, attributes: {rate: fast}}") ==
          "t.yaml:5:87: faults[0].toxic.attributes.rate: 'fast' is not a rate: expected a size per second (e.g. 1MB/s, "
          "500KB/s) or an integer in KB/s");
    CHECK(fault("{type: bandwidth, attributes: {rate: 100B/s}}") ==
          "t.yaml:5:87: faults[0].toxic.attributes.rate: '100B/s' is below 1KB/s, Toxiproxy's unit (0 stalls the "
          "connection)");
    CHECK(fault("{type: limit_data, attributes: {bytes: 1.5B}}") ==
          "t.yaml:5:89: faults[0].toxic.attributes.bytes: '1.5B' is not a size: not a whole number of bytes");
    CHECK(fault("{type: latency, stream: down}") ==
          "t.yaml:5:74: faults[0].toxic.stream: expected upstream (client to server) or downstream (server to client), "
          "got 'down'; did you mean 'downstream'?");
    CHECK(fault("{type: latency, toxicity: 1.5}") ==
          "t.yaml:5:76: faults[0].toxic.toxicity: must be between 0 and 1, got 1.5");
    CHECK(fault("{type: latency, name: 'a/b'}") ==
          "t.yaml:5:72: faults[0].toxic.name: 'a/b' may only use letters, digits, '_', '-' and '.'");
    CHECK(fault("{type: slicer, attributes: {delay: 1us}}") ==
          "t.yaml:5:77: faults[0].toxic.attributes.average_size: must be at least 1 byte (0 crashes the slicer)");
    CHECK(fault("{type: slicer, attributes: {average_size: 10, size_variation: 10}}") ==
          "t.yaml:5:112: faults[0].toxic.attributes.size_variation: must be less than average_size");
    CHECK(fault("{stream: upstream}") == "t.yaml:5:50: faults[0].toxic: missing 'type' (latency, bandwidth, slow_close, "
                                         "timeout, reset_peer, slicer, limit_data or noop)");
    CHECK(fault("{type: latency, colour: red}") ==
          "t.yaml:5:66: unknown key 'colour' in faults[0].toxic (expected one of: type, stream, toxicity, name, "
          "attributes)");
}

TEST_CASE("proxy rules", "[loader][chaos]") {
    CHECK(only_error("proxies: [{name: db, upstream: 'h:1'}, {name: db, upstream: 'h:2'}]\n") ==
          "t.yaml:4:47: proxies[1].name: duplicate proxy name 'db'");
    CHECK(only_error("proxies: [{name: 'my db', upstream: 'h:1'}]\n") ==
          "t.yaml:4:18: proxies[0].name: 'my db' must be an identifier (letters, digits, _)");
    CHECK(only_error("proxies: [{name: db}]\n") ==
          "t.yaml:4:11: proxies[0]: missing 'upstream' (the host:port the proxy forwards to)");
    CHECK(only_error("proxies: [{name: db, upstream: 'h'}]\n") == "t.yaml:4:32: proxies[0].upstream: 'h' is not host:port");
    CHECK(only_error("proxies: [{name: db, upstream: 'h:0'}]\n") ==
          "t.yaml:4:32: proxies[0].upstream: 'h:0': port 0 cannot be connected to");
    CHECK(only_error("proxies: [{name: db, upstream: 'h:1', listen: ':99999'}]\n") ==
          "t.yaml:4:47: proxies[0].listen: ':99999' is not host:port (an IPv6 address goes in brackets: [::1]:8080)");
    CHECK(only_error("proxies: [{name: db, upstream: '::1:5432'}]\n") ==
          "t.yaml:4:32: proxies[0].upstream: '::1:5432' is not host:port (an IPv6 address goes in brackets: [::1]:8080)");
    CHECK(only_error("proxies: [{name: db, upstream: 'h:1', lisen: 'h:2'}]\n") ==
          "t.yaml:4:39: unknown key 'lisen' in proxies[0]; did you mean 'listen'?");
    CHECK(only_error("proxies: [{name: db, upstream: '{{nope}}:1'}]\n") ==
          "t.yaml:4:33: proxies[0].upstream: undefined variable 'nope'");
    CHECK(only_error("toxiproxy: localhost:8474\n") ==
          "t.yaml:4:12: toxiproxy: 'localhost:8474' is not a usable URL: unsupported scheme 'localhost' (use http or "
          "https)");
    CHECK(only_error("proxies: {db: {upstream: 'h:1'}}\n") == "t.yaml:4:10: proxies: expected a list, got a map");
}

TEST_CASE("proxies: IPv6 and names", "[loader][chaos]") {
    const auto r = load_text(kBase + "proxies: [{name: db_1, listen: '[::1]:0', upstream: '[::1]:5432'}, "
                                     "{name: web, upstream: 'web.internal:80'}]\n");
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    CHECK(r.scenario->chaos.proxies.size() == 2);
    CHECK(r.scenario->chaos.proxies[0].listen == "[::1]:0");
}

TEST_CASE("{{proxies.NAME.listen}} of an undeclared proxy", "[loader][chaos]") {
    CHECK(only_error("proxies: [{name: db, upstream: 'h:1'}]\nservices: [{name: s, command: ['{{proxies.bd.listen}}']}]\n") ==
          "t.yaml:5:33: services[0].command[0]: undefined variable 'proxies.bd.listen'; did you mean "
          "'proxies.db.listen'?");
    CHECK(errors_of("target: 'http://{{proxies.db.listen}}'\nload: {rate: 1/s, duration: 1m}\nflow: [{request: {path: /}}]\n") ==
          std::vector<std::string>{"t.yaml:1:17: target: undefined variable 'proxies.db.listen'"});
}

TEST_CASE("service rules", "[loader][chaos]") {
    CHECK(only_error("services: [{name: s, command: []}]\n") ==
          "t.yaml:4:31: services[0].command: empty list (give the program and its arguments)");
    CHECK(only_error("services: [{name: s, command: x}]\n") == "t.yaml:4:31: services[0].command: expected a list, got 'x'");
    CHECK(only_error("services: [{name: s}]\n") ==
          "t.yaml:4:12: services[0]: missing 'command' (a list: the program and its arguments)");
    CHECK(only_error("services: [{name: s, command: [x]}, {name: s, command: [y]}]\n") ==
          "t.yaml:4:44: services[1].name: duplicate service name 's'");
    CHECK(only_error("services: [{name: s, command: [x, '{{uuid}}']}]\n") ==
          "t.yaml:4:35: services[0].command[1]: only variables, env.NAME and proxies.NAME.listen may be used here (a "
          "service starts once, not per iteration)");
    CHECK(only_error("services: [{name: s, command: ['']}]\n") ==
          "t.yaml:4:32: services[0].command[0]: the program must not be empty");
    CHECK(only_error("services: [{name: s, command: [x], env: {'A-B': 1}}]\n") ==
          "t.yaml:4:42: services[0].env: 'A-B' is not an environment variable name");
    CHECK(only_error("services: [{name: s, command: [x], cwd: no/such/dir}]\n") ==
          "t.yaml:4:41: services[0].cwd: './no/such/dir' is not a directory");
    CHECK(only_error("services: [{name: s, command: [x], ready: {http: 'http://h/', tcp: 'h:1'}}]\n") ==
          "t.yaml:4:68: services[0].ready: give either 'http' or 'tcp', not both");
    CHECK(only_error("services: [{name: s, command: [x], ready: {timeout: 1s}}]\n") ==
          "t.yaml:4:43: services[0].ready: give 'http: URL' or 'tcp: host:port'");
    CHECK(only_error("services: [{name: s, command: [x], ready: {http: 'ftp://h/'}}]\n") ==
          "t.yaml:4:50: services[0].ready.http: 'ftp://h/' is not a usable URL: unsupported scheme 'ftp' (use http or "
          "https)");
    CHECK(only_error("services: [{name: s, command: [x], ready: {tcp: 'h'}}]\n") ==
          "t.yaml:4:49: services[0].ready.tcp: 'h' is not host:port");
    CHECK(only_error("services: [{name: s, command: [x], ready: {tcp: 'h:1', timeout: 0s}}]\n") ==
          "t.yaml:4:65: services[0].ready.timeout: must be greater than zero");
    CHECK(errors_of(kBase + "services: [{name: s, comand: [x]}]\n") ==
          std::vector<std::string>{"t.yaml:4:12: services[0]: missing 'command' (a list: the program and its arguments)",
                                   "t.yaml:4:22: unknown key 'comand' in services[0]; did you mean 'command'?"});
}

TEST_CASE("fault rules", "[loader][chaos]") {
    const std::string decl = "proxies: [{name: db, upstream: 'h:1'}]\nservices: [{name: api, command: [x]}]\n";
    const auto fault = [&](const std::string& f) { return only_error(decl + "faults: [" + f + "]\n"); };
    CHECK(fault("{at: 1s, duration: 1s, proxy: db}") ==
          "t.yaml:6:10: faults[0]: give one of 'toxic', 'partition: true', 'enabled: false' or 'service' + 'action'");
    CHECK(fault("{at: 1s, duration: 1s, proxy: db, partition: true, enabled: false}") ==
          "t.yaml:6:70: faults[0]: give only one of 'toxic', 'partition', 'enabled' or 'service' (found 'partition' and "
          "'enabled')");
    CHECK(fault("{at: 1s, duration: 1s, proxy: db, partition: false}") ==
          "t.yaml:6:55: faults[0].partition: only 'true' makes a fault");
    CHECK(fault("{at: 1s, duration: 1s, proxy: db, enabled: true}") ==
          "t.yaml:6:53: faults[0].enabled: only 'false' makes a fault (the proxy is down for the fault's duration)");
    CHECK(fault("{at: 1s, duration: 1s, proxy: dv, partition: true}") ==
          "t.yaml:6:40: faults[0].proxy: undefined proxy 'dv'; did you mean 'db'?");
    CHECK(fault("{at: 1s, duration: 1s, proxy: [db, xy], partition: true}") ==
          "t.yaml:6:45: faults[0].proxy[1]: undefined proxy 'xy' (declared: db)");
    CHECK(fault("{at: 1s, duration: 1s, proxy: [db, db], partition: true}") ==
          "t.yaml:6:45: faults[0].proxy[1]: proxy 'db' is named twice");
    CHECK(fault("{at: 1s, duration: 1s, proxy: [], partition: true}") ==
          "t.yaml:6:40: faults[0].proxy: empty list (name at least one proxy)");
    CHECK(fault("{at: 1s, duration: 1s, partition: true}") ==
          "t.yaml:6:10: faults[0]: missing 'proxy' (a proxy name or a list of them)");
    CHECK(fault("{at: 1s, duration: 1s, service: apj, action: pause}") ==
          "t.yaml:6:42: faults[0].service: undefined service 'apj'; did you mean 'api'?");
    CHECK(fault("{at: 1s, duration: 1s, service: xyz, action: pause}") ==
          "t.yaml:6:42: faults[0].service: undefined service 'xyz' (declared: api)");
    CHECK(fault("{at: 1s, duration: 1s, service: api, action: stop}") ==
          "t.yaml:6:55: faults[0].action: unknown action 'stop' (expected pause, kill or restart)");
    CHECK(fault("{at: 1s, duration: 1s, service: api, action: kil}") ==
          "t.yaml:6:55: faults[0].action: unknown action 'kil'; did you mean 'kill'?");
    CHECK(fault("{at: 1s, duration: 1s, service: api}") ==
          "t.yaml:6:10: faults[0]: missing 'action' (pause, kill or restart)");
    CHECK(fault("{at: 1s, duration: 1s, action: pause}") ==
          "t.yaml:6:41: faults[0].action: needs 'service' (the service to act on)");
    CHECK(fault("{at: 1s, duration: 1s, service: api, action: pause, proxy: db}") ==
          "t.yaml:6:69: faults[0].proxy: not used by a service fault");
    CHECK(fault("{at: 1s, duration: 1s, proxy: db, partition: true, action: pause}") ==
          "t.yaml:6:69: faults[0].action: only used with 'service'");
    CHECK(fault("{at: 1s, service: api, action: pause}") ==
          "t.yaml:6:10: faults[0]: missing 'duration' (how long the fault lasts, e.g. duration: 20s)");
    CHECK(fault("{at: 1s, duration: 0s, service: api, action: kill}") ==
          "t.yaml:6:29: faults[0].duration: must be greater than zero");
    CHECK(fault("{duration: 1s, proxy: db, partition: true}") ==
          "t.yaml:6:10: faults[0]: missing 'at' (when the fault starts, e.g. at: 60s)");
    CHECK(fault("{at: -1s, duration: 1s, proxy: db, partition: true}") ==
          "t.yaml:6:15: faults[0].at: '-1s' is not a duration: expected a number followed by ms, s, m or h (e.g. "
          "250ms)");
    CHECK(fault("{at: 1s, duration: 1s, proxy: db, partition: true, when: 2s}") ==
          "t.yaml:6:61: unknown key 'when' in faults[0] (expected one of: at, duration, proxy, toxic, partition, "
          "enabled, service, action)");
    CHECK(only_error("faults: [{at: 1s, duration: 1s, proxy: db, partition: true}]\n") ==
          "t.yaml:4:40: faults[0].proxy: undefined proxy 'db' (declare it under 'proxies:', or set 'toxiproxy:' to use "
          "one that already exists there)");
}

TEST_CASE("overlapping faults", "[loader][chaos]") {
    const std::string decl = "proxies: [{name: db, upstream: 'h:1'}, {name: c, upstream: 'h:2'}]\n"
                             "services: [{name: api, command: [x]}]\nfaults:\n";
    const auto ok = [&](const std::string& faults) {
        const auto r = load_text(kBase + decl + faults);
        for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
        CHECK(r.ok());
    };
    // Unnamed toxics get distinct names, so they may stack; back-to-back windows do not overlap.
    ok("  - {at: 1s, duration: 10s, proxy: db, toxic: {type: latency}}\n"
       "  - {at: 5s, duration: 10s, proxy: db, toxic: {type: latency}}\n"
       "  - {at: 1s, duration: 10s, proxy: db, enabled: false}\n"
       "  - {at: 11s, duration: 10s, proxy: db, enabled: false}\n"
       "  - {at: 1s, duration: 10s, proxy: c, enabled: false}\n"
       "  - {at: 1s, duration: 10s, service: api, action: pause}\n"
       "  - {at: 11s, service: api, action: restart}\n"
       "  - {at: 1s, duration: 4s, proxy: db, partition: true}\n"
       "  - {at: 2s, duration: 4s, proxy: db, partition: true}\n");
    CHECK(only_error(decl + "  - {at: 1s, duration: 10s, proxy: [c, db], enabled: false}\n"
                            "  - {at: 5s, duration: 10s, proxy: db, enabled: false}\n") ==
          "t.yaml:8:5: faults[1]: overlaps faults[0] from 5s: both disable proxy 'db'; move one of them");
    CHECK(only_error(decl + "  - {at: 1s, duration: 10s, service: api, action: pause}\n"
                            "  - {at: 5s, service: api, action: restart}\n") ==
          "t.yaml:8:5: faults[1]: overlaps faults[0] from 5s: both act on service 'api'; move one of them");
    CHECK(only_error(decl + "  - {at: 1s, duration: 10s, proxy: db, toxic: {type: latency, name: slow}}\n"
                            "  - {at: 5s, duration: 10s, proxy: db, toxic: {type: bandwidth, name: slow}}\n") ==
          "t.yaml:8:5: faults[1]: overlaps faults[0] from 5s: both add a toxic named 'slow' to proxy 'db'; move one of "
          "them");
}

TEST_CASE("the validate summary shows proxies, services, faults, slo and abort", "[loader][chaos]") {
    const auto text = describe(load_chaos());
    INFO(text);
    CHECK(text.substr(text.find(" Chaos:")) ==
          " Chaos: proxies db (127.0.0.1:0 -> 127.0.0.1:5432), api_in (127.0.0.1:18081 -> 127.0.0.1:18080); on "
          "Toxiproxy http://127.0.0.1:8474; services api, worker; faults latency db at 1m for 20s, partition db+cache "
          "at 100s for 15s, disabled db at 140s for 10s, pause api at 170s for 5s, restart worker at 200s, bandwidth "
          "db at 210s for 30s. SLO: p95 <= 100ms, p99 <= 250ms, error rate <= 0.1%, availability >= 99.9%, recovery "
          "<= 30s (5 healthy intervals), errors <= 0, throughput >= 5000/s, limits for step 'login'. Abort when "
          "error_rate or latency.p99 for 10s.");
    // Without chaos or slo the summary is unchanged.
    const auto plain = load_text(kBase);
    REQUIRE(plain.ok());
    CHECK(describe(*plain.scenario).ends_with("(64 connections, timeout 5s)."));
}

TEST_CASE("a target through a proxy on port 0 is checked once its address is known", "[loader][chaos]") {
    const std::string yaml = "target: 'http://{{proxies.web.listen}}/api'\nload: {rate: 1/s, duration: 1m}\n"
                             "flow: [{request: {path: /}}]\nproxies: [{name: web, upstream: 'h:1'}]\n"
                             "services: [{name: s, command: [x], ready: {http: 'http://{{proxies.web.listen}}/'}}]\n";
    auto r = load_text(yaml);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    CHECK(r.scenario->target.literal_text() == "http://127.0.0.1:0/api");
    LoadOptions options;
    options.use_process_env = false;
    options.runtime = {{"proxies.web.listen", "127.0.0.1:40001"}};
    r = load_scenario_text(yaml, "t.yaml", ".", options);
    REQUIRE(r.ok());
    CHECK(r.scenario->target.literal_text() == "http://127.0.0.1:40001/api");
    CHECK(r.scenario->chaos.services[0].ready.target == "http://127.0.0.1:40001/");
    // A literal port 0 is still an error.
    CHECK(only_error("services: [{name: s, command: [x], ready: {tcp: '127.0.0.1:0'}}]\n") ==
          "t.yaml:4:49: services[0].ready.tcp: '127.0.0.1:0': port 0 cannot be connected to");
}
