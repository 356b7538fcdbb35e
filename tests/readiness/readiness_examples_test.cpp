// Issue 6: every scenario in examples/readiness/ is run end to end the way a user runs it
// (`faultline-demo-target` looked up in PATH, services and embedded proxy started by
// faultline), and its verdict is asserted: the exit code and the thresholds and fault results
// that decide it. The only change to a file is its two fixed ports (18181 frontend, 18182
// backend), replaced by free ones so runs can go in parallel; long runs are shortened with
// --duration where the faults still fit.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/cli/run_harness.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const fs::path kExamples{READINESS_EXAMPLES_DIR};
constexpr std::string_view kFrontendPort = "18181";
constexpr std::string_view kBackendPort = "18182";


std::string replace_all(std::string text, std::string_view from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}


// The PATH a user sets: the demo target's directory first.
std::string demo_path() {
    const char* path = std::getenv("PATH");
    return fs::path(FAULTLINE_DEMO_TARGET).parent_path().string() + ":" + (path ? path : "/usr/bin:/bin");
}

struct Example {
    TempDir dir;
    fs::path file;
};

// A copy of examples/readiness/NAME.yaml in a fresh directory, on two free ports.
std::unique_ptr<Example> prepare(const std::string& name) {
    auto ex = std::make_unique<Example>();
    auto text = read_text(kExamples / (name + ".yaml"));
    REQUIRE(text.find(kFrontendPort) != std::string::npos);
    const auto frontend = unused_port();
    auto backend = unused_port();
    while (backend == frontend) backend = unused_port();
    text = replace_all(std::move(text), kFrontendPort, std::to_string(frontend));
    text = replace_all(std::move(text), kBackendPort, std::to_string(backend));
    ex->file = ex->dir.path() / (name + ".yaml");
    std::ofstream(ex->file) << text;
    return ex;
}

// `faultline run FILE --interval 250ms --json ... ARGS` with the demo target in PATH.
RunOutcome run_example(const Example& ex, std::vector<std::string> args,
                       std::vector<std::pair<std::string, std::string>> env = {},
                       std::chrono::seconds limit = 60s) {
    const auto json_path = ex.dir.path() / "result.json";
    ChildOptions o;
    o.argv = {FAULTLINE_BIN, "run", ex.file.string(), "--quiet", "--interval", "250ms", "--json", json_path.string()};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.env = std::move(env);
    o.env.emplace_back("PATH", demo_path());
    const auto start = std::chrono::steady_clock::now();
    ChildProcess p(o);
    auto status = p.wait(std::chrono::duration_cast<std::chrono::milliseconds>(limit));
    RunOutcome out;
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (!status) FAIL("faultline did not finish within " << limit.count() << " s");
    p.wait_for_output_end(5s);
    out.status = *status;
    out.out = p.stdout_text();
    out.err = p.stderr_text();
    if (fs::exists(json_path)) out.result = json::parse(read_text(json_path)).as_object();
    return out;
}

const json::object& threshold(const json::object& result, std::string_view name) {
    for (const auto& t : result.at("thresholds").as_array())
        if (t.at("name").as_string() == name) return t.as_object();
    FAIL("no threshold " << name << " in " << json::serialize(result.at("thresholds")));
    throw std::logic_error("unreachable");
}

bool ok(const json::object& result, std::string_view name) { return threshold(result, name).at("ok").as_bool(); }
double value(const json::object& result, std::string_view name) {
    return num(threshold(result, name).at("value"));
}

// Names of the thresholds that failed.
std::set<std::string> failed(const json::object& result) {
    std::set<std::string> out;
    for (const auto& t : result.at("thresholds").as_array())
        if (!t.at("ok").as_bool()) out.emplace(t.at("name").as_string());
    return out;
}

std::uint64_t status_count(const json::object& result, const char* code) {
    const auto& codes = result.at("status_codes").as_object();
    const auto* n = codes.if_contains(code);
    return n ? n->to_number<std::uint64_t>() : 0;
}

const json::object& fault(const json::object& result, std::size_t i) {
    return result.at("faults").as_array().at(i).as_object();
}

constexpr double kInterval = 0.25;

}  // namespace

TEST_CASE("readiness examples: every file validates and the README lists it") {
    const auto readme = read_text(kExamples / "README.md");
    int count = 0;
    for (const auto& entry : fs::directory_iterator(kExamples)) {
        if (entry.path().extension() != ".yaml") continue;
        ++count;
        const auto name = entry.path().filename().string();
        INFO(name);
        CHECK(readme.find(name) != std::string::npos);
        ChildProcess p({FAULTLINE_BIN, "validate", entry.path().string(), "-e", "SSL_CERT_FILE=/tmp/ca.pem"});
        const auto status = p.wait(30s);
        REQUIRE(status);
        p.wait_for_output_end(5s);
        INFO(p.stderr_text());
        CHECK(*status == ExitStatus::exited(0));
    }
    CHECK(count == 9);
}

TEST_CASE("readiness 01: latency SLA at a fixed rate passes its P50/P95/P99 thresholds", "[socket]") {
    auto ex = prepare("01-latency-sla");
    auto r = run_example(*ex, {"--duration", "4s"});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(0));
    REQUIRE(!r.result.empty());
    CHECK(r.result.at("run").at("model").as_string() == "open");
    CHECK(num(r.result.at("run").at("rate_per_s")) == Approx(200));
    CHECK(r.result.at("requests").to_number<std::int64_t>() == 800);
    CHECK(r.result.at("warmup").is_object());
    for (const char* name : {"latency.p50", "latency.p95", "latency.p99", "error_rate"}) {
        INFO(name);
        CHECK(ok(r.result, name));
    }
    CHECK(value(r.result, "error_rate") == 0);
}

TEST_CASE("readiness 02a: a slow dependency without a breaker fails latency.p99", "[socket]") {
    auto ex = prepare("02a-slowdown-no-breaker");
    // Shortened: the slowdown starts at 2 s, so 4 s of the 6 s are slow; enough to fail.
    auto r = run_example(*ex, {"--duration", "6s"});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(1));
    REQUIRE(!r.result.empty());
    CHECK(failed(r.result) == std::set<std::string>{"latency.p99"});
    // Every request in the fault window waited for the 50 ms backend timeout.
    CHECK(value(r.result, "latency.p99") >= 50);
    CHECK(status_count(r.result, "504") > 350);
    CHECK(status_count(r.result, "503") == 0);
    CHECK(fault(r.result, 0).at("type").as_string() == "latency");
    CHECK(num(fault(r.result, 0).at("worst_p99_ms")) >= 50);
}

TEST_CASE("readiness 02b: the same slowdown with the breaker on keeps P99 low", "[socket]") {
    auto ex = prepare("02b-slowdown-breaker");
    // Run as written: P99 is low only while the few slow calls stay under 1% of the run.
    auto r = run_example(*ex, {});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(0));
    REQUIRE(!r.result.empty());
    CHECK(ok(r.result, "latency.p99"));
    CHECK(value(r.result, "latency.p99") < 40);
    // Fail-fast: the open breaker answered most requests of the window with 503, and only the
    // few calls before it opened (and the probes) waited for the timeout.
    CHECK(status_count(r.result, "503") > 800);
    CHECK(status_count(r.result, "504") < 16);
}

TEST_CASE("readiness 03a: an outage without a stale cache: impact, recovery, availability fails", "[socket]") {
    auto ex = prepare("03a-outage-no-cache");
    // The partition is [4 s, 9 s]; 2 s after it are enough for 3 healthy 250 ms intervals.
    auto r = run_example(*ex, {"--duration", "11s"});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(1));
    REQUIRE(!r.result.empty());
    CHECK(failed(r.result) == std::set<std::string>{"error_rate", "availability"});
    CHECK(value(r.result, "availability") < 0.9);
    CHECK(ok(r.result, "recovery_time.0"));
    const auto& f = fault(r.result, 0);
    INFO(json::serialize(f));
    CHECK(f.at("type").as_string() == "partition");
    REQUIRE(f.at("time_to_impact_s").is_number());
    CHECK(num(f.at("time_to_impact_s")) <= kInterval);
    CHECK(num(f.at("worst_error_rate")) == Approx(1.0));
    REQUIRE(f.at("recovered").as_bool());
    CHECK(num(f.at("recovery_time_s")) <= 2 * kInterval);
}

TEST_CASE("readiness 03b: the same outage with a stale cache keeps availability above its SLO", "[socket]") {
    auto ex = prepare("03b-outage-stale-cache");
    auto r = run_example(*ex, {"--duration", "10s"});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(0));
    REQUIRE(!r.result.empty());
    CHECK(failed(r.result).empty());
    CHECK(value(r.result, "availability") >= 0.9);
    CHECK(value(r.result, "error_rate") == 0);
    CHECK(status_count(r.result, "200") == r.result.at("requests").to_number<std::uint64_t>());
    const auto& f = fault(r.result, 0);
    INFO(json::serialize(f));
    CHECK(f.at("type").as_string() == "partition");
    CHECK(f.at("time_to_impact_s").is_null());  // no unhealthy interval: no impact
    CHECK(num(f.at("worst_error_rate")) == 0);
    CHECK(f.at("recovered").as_bool());
}

TEST_CASE("readiness 04: security smoke: 401 without a key, 429 past the limit, verified HTTPS", "[socket]") {
    auto ex = prepare("04-security-smoke");
    const auto ca = ex->dir.path() / "demo-ca.pem";
    auto r = run_example(*ex, {}, {{"SSL_CERT_FILE", ca.string()}});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(0));
    REQUIRE(!r.result.empty());
    CHECK(failed(r.result).empty());
    for (const char* step : {"no-key", "wrong-key", "unknown-path"}) {
        INFO(step);
        CHECK(value(r.result, fmt::format("steps.{}.error_rate", step)) == 0);
    }
    CHECK(ok(r.result, "steps.burst.error_rate"));
    // 200 authorised requests against 100 per window: exactly the first 100 were served.
    CHECK(status_count(r.result, "401") == 400);
    CHECK(status_count(r.result, "404") == 200);
    CHECK(status_count(r.result, "200") == 100);
    CHECK(status_count(r.result, "429") == 100);
    CHECK(r.result.at("errors").at("tls").to_number<int>() == 0);
}

TEST_CASE("readiness 04: HTTPS is really verified: a CA faultline does not trust fails every request",
          "[socket]") {
    auto ex = prepare("04-security-smoke");
    // The frontend writes its CA elsewhere than where OpenSSL looks.
    const auto written = ex->dir.path() / "written-ca.pem", trusted = ex->dir.path() / "trusted-ca.pem";
    std::ofstream(trusted) << "";
    auto r = run_example(*ex, {"-e", "SSL_CERT_FILE=" + written.string(), "--requests", "3"},
                         {{"SSL_CERT_FILE", trusted.string()}});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(3));  // no request got a response
    CHECK(r.err.find("certificate verify failed") != std::string::npos);
    REQUIRE(!r.result.empty());
    CHECK(r.result.at("errors").at("tls").to_number<int>() == 12);
}

TEST_CASE("readiness 05: ab -n 1000 -c 10 equivalent with no failed request", "[socket]") {
    auto ex = prepare("05-ab-closed");
    auto r = run_example(*ex, {});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(0));
    REQUIRE(!r.result.empty());
    CHECK(r.result.at("run").at("model").as_string() == "closed");
    CHECK(r.result.at("run").at("vus").to_number<int>() == 10);
    CHECK(r.result.at("requests").to_number<int>() == 1000);
    CHECK(ok(r.result, "errors"));
    CHECK(value(r.result, "errors") == 0);
}

TEST_CASE("readiness 06: open-model throughput with P99 < 500 ms, at a rate this machine sustains", "[timing]") {
    auto ex = prepare("06-throughput-target");
    // The file asks for 5000/s for a minute; a 2-core machine running the generator, the proxy
    // and both tiers sustains about 1000/s (measured: P99 16 ms at 1000/s, 1 s at 2000/s).
    auto r = run_example(*ex, {"--rate", "1000", "--duration", "5s"});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(0));
    REQUIRE(!r.result.empty());
    CHECK(failed(r.result).empty());
    CHECK(value(r.result, "latency.p99") < 500);
    CHECK(num(r.result.at("rps")) >= 950);
    CHECK(r.result.at("errors").at("dropped").to_number<int>() == 0);
}

TEST_CASE("readiness 07: MTTR gate: the backend crashes and restarts, recovery within the limit", "[socket]") {
    auto ex = prepare("07-mttr-gate");
    // Faults at [3 s, 5 s], [8 s, 10 s] and [14 s, 16 s]; 2 s after the last are enough
    // for 3 intervals.
    auto r = run_example(*ex, {"--duration", "18s"});
    INFO(r.out << r.err);
    CHECK(r.status == ExitStatus::exited(0));
    REQUIRE(!r.result.empty());
    CHECK(failed(r.result).empty());
    REQUIRE(r.result.at("faults").as_array().size() == 3);
    const char* types[] = {"disabled", "kill", "restart"};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& f = fault(r.result, i);
        INFO(json::serialize(f));
        CHECK(f.at("type").as_string() == types[i]);
        if (i == 0) CHECK(f.at("proxies").as_array() == json::array{"backend"});
        else CHECK(f.at("service").as_string() == "backend");
        // The frontend fails while the backend is away ...
        REQUIRE(f.at("time_to_impact_s").is_number());
        CHECK(num(f.at("time_to_impact_s")) <= kInterval);
        CHECK(num(f.at("worst_error_rate")) == Approx(1.0));
        // ... and is healthy again soon after it is back.
        REQUIRE(f.at("recovered").as_bool());
        CHECK(num(f.at("recovery_time_s")) <= 2 * kInterval);
        CHECK(ok(r.result, fmt::format("recovery_time.{}", i)));
    }
}
