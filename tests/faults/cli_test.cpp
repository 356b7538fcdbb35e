// `faultline proxy` as a process: flag aliases, --config errors, the listening line, HTTP
// headers, SIGTERM.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "cli/proxy_command.hpp"
#include "tests/faults/support/proxy_process.hpp"

using faultline::test::ChildProcess;
using faultline::test::ExitStatus;
using namespace std::chrono_literals;

TEST_CASE("toxiproxy-server single-dash flags become long flags") {
    using V = std::vector<std::string>;
    CHECK(faultline::rewrite_toxiproxy_flags(V{"faultline", "run", "-host"}) == V{"faultline", "run", "-host"});
    CHECK(faultline::rewrite_toxiproxy_flags(V{"faultline", "proxy", "-host", "0.0.0.0", "-port=8475", "-proxy-metrics",
                                               "-config", "x.json", "-seed=3", "-version", "-runtime-metrics", "-q", "--port"}) ==
          V{"faultline", "proxy", "--host", "0.0.0.0", "--port=8475", "--proxy-metrics", "--config", "x.json", "--seed=3",
            "--version", "--runtime-metrics", "-q", "--port"});
}

TEST_CASE("proxy starts, answers with Toxiproxy headers and exits 0 on SIGTERM", "[socket]") {
    faultline::test::ProxyProcess proxy({"-proxy-metrics", "-seed", "7"});
    auto r = proxy.call("GET", "/version");
    CHECK(r.status == 200);
    CHECK(r.body == "{\"version\": \"2.12.0\"}\n");
    CHECK(r.headers.find("X-Toxiproxy-Request-Id: ") != std::string::npos);
    auto e = proxy.call("GET", "/proxies/none");
    CHECK(e.status == 404);
    CHECK(e.headers.find("X-Content-Type-Options: nosniff") != std::string::npos);
    REQUIRE(proxy.child().send_signal(SIGTERM));
    CHECK(proxy.child().wait(5s) == ExitStatus::exited(0));
}

TEST_CASE("an invalid --config exits 2 naming the entry and field", "[socket]") {
    const std::string path = (std::filesystem::temp_directory_path() / ("faultline_bad_config_" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(path) << R"([{"name":"ok","listen":"127.0.0.1:0","upstream":"a:1"},{"name":"web","listen":"127.0.0.1:0"}])";
    ChildProcess child({FAULTLINE_BIN, "proxy", "--port", "0", "-config", path});
    CHECK(child.wait(10s) == ExitStatus::exited(2));
    child.wait_for_output_end(5s);
    CHECK(child.stderr_text().find("entry 2 (\"web\"): field upstream: missing required field") != std::string::npos);
    CHECK(child.stdout_text().find("listening") == std::string::npos);

    ChildProcess missing({FAULTLINE_BIN, "proxy", "--port", "0", "--config", "/nonexistent/proxies.json"});
    CHECK(missing.wait(10s) == ExitStatus::exited(2));
}

TEST_CASE("a --config file with toxics is applied before listening", "[socket]") {
    const std::string path = (std::filesystem::temp_directory_path() / ("faultline_good_config_" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(path) << R"([{"name":"web","listen":"127.0.0.1:0","upstream":"a:1","toxics":[{"type":"latency","attributes":{"latency":5}}]}])";
    faultline::test::ProxyProcess proxy({"--config", path});
    auto r = proxy.call("GET", "/proxies/web/toxics");
    CHECK(r.status == 200);
    CHECK(r.body.find("\"latency\":5") != std::string::npos);
}
