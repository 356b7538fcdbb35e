// End-to-end runs of `faultline run` against the demo target on 127.0.0.1.
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/cli/run_harness.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;
namespace json = boost::json;

namespace {
}  // namespace

TEST_CASE("open model sends exactly rate x duration requests, timed from the schedule", "[socket]") {
    DemoTarget target({"--latency", "2ms"});
    auto r = run_faultline({"--url", target.url() + "/", "--rate", "200/s", "--duration", "2s", "--interval", "500ms"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const auto& j = r.result;
    CHECK(num(j.at("requests")) == 400);
    CHECK(num(j.at("status_codes").at("200")) == 400);
    CHECK(num(j.at("error_rate")) == 0);
    const double rps = num(j.at("rps"));
    INFO("measured rps " << rps << ", expected ~200");
    CHECK(rps == Approx(200).epsilon(0.1));
    // Every latency includes the target's 2 ms.
    CHECK(num(j.at("latency_ms").at("min")) >= 2.0);
    CHECK(num(j.at("latency_ms").at("p50")) >= num(j.at("service_time_ms").at("p50")));
    const auto& intervals = j.at("intervals").as_array();
    REQUIRE(intervals.size() == 4);
    double sum = 0;
    for (const auto& iv : intervals) {
        sum += num(iv.at("requests"));
        CHECK(num(iv.at("requests")) == 100);
    }
    CHECK(sum == 400);
    CHECK(num(intervals[1].at("t_s")) == 0.5);
    CHECK_FALSE(j.at("interrupted").as_bool());
    CHECK(r.out.find("req/s achieved (asked 200 req/s)") != std::string::npos);
}

TEST_CASE("closed model with --requests stops after exactly N, like ab -n -c", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({"--url", target.url() + "/", "--vus", "4", "--requests", "333", "--threads", "2"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    CHECK(num(r.result.at("requests")) == 333);
    CHECK(num(r.result.at("status_codes").at("200")) == 333);
    CHECK(r.result.at("run").at("model").as_string() == "closed");
}

TEST_CASE("closed model with --duration stops issuing at the deadline", "[socket]") {
    DemoTarget target({"--latency", "10ms"});
    auto r = run_faultline({"--url", target.url() + "/", "--vus", "2", "--duration", "1s"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const double n = num(r.result.at("requests"));
    INFO("measured " << n << " requests, expected about 2 VUs x 1 s / 10 ms = 200");
    CHECK(n >= 100);
    CHECK(n <= 210);
    CHECK(num(r.result.at("duration_s")) == Approx(1.0).margin(0.2));
}

TEST_CASE("several threads share the open-model schedule exactly", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({"--url", target.url() + "/", "--rate", "300", "--duration", "1s", "--threads", "2",
                            "--connections", "8"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    CHECK(num(r.result.at("requests")) == 300);
    CHECK(num(r.result.at("status_codes").at("200")) == 300);
}

TEST_CASE("failures land in their classes", "[socket]") {
    DemoTarget target;
    const std::vector<std::string> base{"--rate", "20", "--requests", "10", "--timeout", "300ms"};
    auto run = [&](const std::string& path, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"--url", target.url() + path};
        args.insert(args.end(), base.begin(), base.end());
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = run_faultline(args);
        INFO(path << "\n" << r.out << r.err);
        return r;
    };
    SECTION("4xx") {
        auto r = run("/status/404");
        CHECK(r.status == ExitStatus::exited(0));
        CHECK(err(r.result, "http_4xx") == 10);
        CHECK(num(r.result.at("status_codes").at("404")) == 10);
        CHECK(num(r.result.at("error_rate")) == 1.0);
        CHECK(num(r.result.at("latency_ms").at("max")) > 0);  // 4xx responses have latencies
    }
    SECTION("5xx") {
        auto r = run("/status/503");
        CHECK(err(r.result, "http_5xx") == 10);
    }
    SECTION("timeout") {
        auto r = run("/delay/2000");
        CHECK(err(r.result, "timeout") == 10);
        CHECK(r.status == ExitStatus::exited(3));  // not a single response
        CHECK(num(r.result.at("latency_ms").at("max")) == 0);  // no response, no latency
    }
    SECTION("closed without a response") {
        auto r = run("/close");
        CHECK(err(r.result, "reset") == 10);
    }
    SECTION("body over --max-body") {
        auto r = run("/bytes/100000", {"--max-body", "1KiB"});
        CHECK(err(r.result, "protocol") == 10);
    }
    SECTION("chunked bodies are read") {
        auto r = run("/chunked/50000");
        CHECK(num(r.result.at("status_codes").at("200")) == 10);
    }
}

TEST_CASE("arrivals beyond the pool and queue are dropped and counted", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({"--url", target.url() + "/delay/300", "--rate", "50", "--duration", "1s", "--connections", "2",
                            "--max-pending", "3"});
    INFO(r.out << r.err);
    const double dropped = err(r.result, "dropped");
    const double requests = num(r.result.at("requests"));
    INFO("dropped " << dropped << " of 50 arrivals");
    CHECK(requests + dropped == 50);
    CHECK(dropped >= 30);
    CHECK(requests >= 5);
    bool warned = false;
    for (const auto& w : r.result.at("warnings").as_array()) warned |= w.as_string().find("dropped") != json::string::npos;
    CHECK(warned);
}

TEST_CASE("nothing listening exits 3 and says why", "[socket]") {
    const auto port = unused_port();
    auto r = run_faultline({"--url", "http://127.0.0.1:" + std::to_string(port) + "/", "--rate", "10", "--duration", "500ms"});
    CHECK(r.status == ExitStatus::exited(3));
    CHECK_THAT(r.err, Catch::Contains("connect_refused"));
    CHECK(err(r.result, "connect_refused") == 5);
}

TEST_CASE("an unresolvable host exits 3 before sending", "[socket]") {
    auto r = run_faultline({"--url", "http://no-such-host.invalid/", "--rate", "10", "--duration", "1s"});
    CHECK(r.status == ExitStatus::exited(3));
    CHECK_THAT(r.err, Catch::Contains("dns"));
}

TEST_CASE("bad flags exit 2 without sending", "[socket]") {
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"--url", "http://127.0.0.1:1/", "--rate", "0", "--duration", "1s"},
             {"--url", "http://127.0.0.1:1/", "--rate", "10", "--vus", "2", "--duration", "1s"},
             {"--url", "http://127.0.0.1:1/", "--rate", "10"},
             {"--rate", "10", "--duration", "1s"},
             {"--url", "http://127.0.0.1:1/", "--rate", "10", "--duration", "1s", "--no-such-flag"},
             {"--url", "http://127.0.0.1:1/", "--rate", "10", "--duration", "soon"}}) {
        auto r = run_faultline(args, 20s, false);
        INFO(r.err);
        CHECK(r.status == ExitStatus::exited(2));
        CHECK_FALSE(r.err.empty());
    }
}

TEST_CASE("SIGINT stops the run, writes the partial result and exits 130", "[socket]") {
    DemoTarget target({"--latency", "5ms"});
    TempDir dir;
    const auto json_path = dir.path() / "partial.json";
    ChildProcess p({FAULTLINE_BIN, "run", "--url", target.url() + "/", "--rate", "100", "--duration", "60s", "--json",
                    json_path.string()});
    REQUIRE(p.read_line_until("faultline:", 10s, Output::stderr_stream));
    std::this_thread::sleep_for(1500ms);
    const auto sent_at = std::chrono::steady_clock::now();
    REQUIRE(p.send_signal(SIGINT));
    const auto status = p.wait(10s);
    const auto stop_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent_at);
    REQUIRE(status);
    CHECK(*status == ExitStatus::exited(130));
    INFO("stopped " << stop_ms.count() << " ms after SIGINT (grace 1 s)");
    CHECK(stop_ms < 3s);
    REQUIRE(std::filesystem::exists(json_path));
    std::ifstream in(json_path);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto j = json::parse(ss.str()).as_object();
    CHECK(j.at("interrupted").as_bool());
    CHECK(num(j.at("requests")) >= 100);
    CHECK(num(j.at("requests")) <= 400);
    p.wait_for_output_end(5s);
    CHECK_THAT(p.stdout_text(), Catch::Contains("INTERRUPTED"));
}

TEST_CASE("HTTPS verifies against a given CA, fails without it, and --insecure skips it", "[socket]") {
    TempDir dir;
    DemoTarget target({"--tls", "--ca-out", (dir.path() / "ca.pem").string()});
    const std::vector<std::string> base{"--url", target.url() + "/", "--rate", "20", "--requests", "10"};
    auto with = [&](std::vector<std::string> extra) {
        auto args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return run_faultline(args);
    };
    auto verified = with({"--ca-file", (dir.path() / "ca.pem").string()});
    INFO(verified.out << verified.err);
    CHECK(verified.status == ExitStatus::exited(0));
    CHECK(num(verified.result.at("status_codes").at("200")) == 10);

    auto untrusted = with({});
    CHECK(untrusted.status == ExitStatus::exited(3));
    CHECK(err(untrusted.result, "tls") == 10);

    auto insecure = with({"--insecure"});
    CHECK(insecure.status == ExitStatus::exited(0));
    CHECK(num(insecure.result.at("status_codes").at("200")) == 10);
}
