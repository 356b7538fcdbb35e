// Services end to end: the demo target started by a session (tcp and http ready probes),
// paused, killed and restarted by faults; setup failures with their reasons; nothing left
// running after shutdown.
#include <catch2/catch.hpp>

#include <fmt/core.h>
#include <signal.h>

#include <cerrno>
#include <thread>

#include "chaos/chaos_session.hpp"
#include "tests/chaos/support/chaos_support.hpp"

using namespace faultline;
using namespace faultline::test::chaos;
using faultline::chaos::ChaosSession;
using faultline::chaos::SetupFailure;

namespace {

std::string address(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

ServiceDecl demo_service(const std::string& name, std::uint16_t port, ReadyProbe::Kind kind) {
    ServiceDecl s;
    s.name = name;
    s.command = {FAULTLINE_DEMO_TARGET, "--port", std::to_string(port), "--latency", "0", "--jitter", "0",
                 "--error-rate", "0"};
    s.ready.kind = kind;
    s.ready.target = kind == ReadyProbe::Kind::http ? "http://" + address(port) + "/health" : address(port);
    s.ready.timeout = 5s;
    return s;
}

ServiceDecl command_service(std::vector<std::string> command, Duration timeout = 5s) {
    ServiceDecl s;
    s.name = "svc";
    s.command = std::move(command);
    s.ready.kind = ReadyProbe::Kind::tcp;
    s.ready.target = address(free_port());  // nothing will listen there
    s.ready.timeout = timeout;
    return s;
}

FaultDecl service_fault(ServiceAction action, Duration at, Duration duration) {
    FaultDecl f;
    f.kind = FaultDecl::Kind::service;
    f.service = "api";
    f.action = action;
    f.at = at;
    f.duration = duration;
    return f;
}

ChaosSpec spec_with(std::vector<FaultDecl> faults) {
    ChaosSpec spec;
    spec.faults = std::move(faults);
    return spec;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("chaos services: started with tcp and http ready probes, logged to files, gone after shutdown", "[socket]") {
    REQUIRE(child_pids().empty());
    const auto dir = make_temp_dir();
    const auto tcp_port = free_port();
    const auto http_port = free_port();
    ChaosSession session(ChaosSpec{}, dir, "run1-", 1);
    const auto start = SteadyClock::instance().now();
    session.start_services({demo_service("tcp", tcp_port, ReadyProbe::Kind::tcp),
                            demo_service("web", http_port, ReadyProbe::Kind::http)});
    fmt::print("two services ready after {:.1f} ms\n", since(start) * 1000);
    CHECK(http_get(address(tcp_port), "/health").status == 200);  // ready means ready
    CHECK(http_get(address(http_port), "/health").status == 200);
    CHECK(child_pids().size() == 2);
    const auto logs = session.service_logs();
    REQUIRE(logs == std::vector<std::string>{(dir / "run1-tcp.log").string(), (dir / "run1-web.log").string()});
    session.shutdown();
    CHECK(child_pids().empty());  // stopped and reaped: no zombies either
    CHECK_THAT(read_file(logs[0]), Catch::Contains("listening on http://127.0.0.1:" + std::to_string(tcp_port)));
    CHECK_THAT(read_file(logs[1]), Catch::Contains("listening on http://127.0.0.1:" + std::to_string(http_port)));
}

TEST_CASE("chaos services: pause stops the service's process group until the fault ends", "[socket]") {
    const auto port = free_port();
    ChaosSession session(spec_with({service_fault(ServiceAction::pause, 200ms, 400ms)}), make_temp_dir(), "", 1);
    session.start_services({demo_service("api", port, ReadyProbe::Kind::tcp)});
    const auto origin = SteadyClock::instance().now();
    session.start_faults(origin);
    sleep_until(origin + 300ms);
    CHECK(session.active_faults() == "pause on api");
    const auto reply = http_get(address(port), "/health");  // stalls until SIGCONT at 0.6 s
    const double answered = since(origin);
    CHECK(reply.status == 200);
    log_timing("pause: request answered after SIGCONT", answered * 1000, 600, 30);
    CHECK(answered >= 0.6);
    CHECK(answered <= 0.63);
    const auto w = session.windows().at(0);
    REQUIRE(w.applied_start_s);
    REQUIRE(w.applied_end_s);
    log_timing("pause applied", *w.applied_start_s * 1000, 200, 10);
    CHECK(std::abs(*w.applied_start_s - 0.2) <= 0.01);
    CHECK(std::abs(*w.applied_end_s - 0.6) <= 0.01);
}

TEST_CASE("chaos services: kill crashes the service and restart stops it gracefully, both start it again when the fault ends",
          "[socket]") {
    const auto action = GENERATE(ServiceAction::kill, ServiceAction::restart);
    const auto port = free_port();
    const auto dir = make_temp_dir();
    ChaosSession session(spec_with({service_fault(action, 200ms, 300ms)}), dir, "", 1);
    session.start_services({demo_service("api", port, ReadyProbe::Kind::http)});
    const auto origin = SteadyClock::instance().now();
    session.start_faults(origin);
    sleep_until(origin + 300ms);
    CHECK(RawConnection::connect_error(address(port)) == ECONNREFUSED);
    CHECK(child_pids().empty());  // reaped, not a zombie
    sleep_until(origin + 500ms);
    // Started again at 0.5 s; answering once it is ready.
    auto reply = http_get(address(port), "/health");
    for (int i = 0; i < 100 && reply.status != 200; ++i) {
        std::this_thread::sleep_for(20ms);
        reply = http_get(address(port), "/health");
    }
    const double back = since(origin);
    fmt::print("{}: answering again {:.1f} ms after the origin (started again at 500 ms)\n",
               action == ServiceAction::kill ? "kill" : "restart", back * 1000);
    CHECK(reply.status == 200);
    CHECK(child_pids().size() == 1);
    const auto w = session.windows().at(0);
    REQUIRE(w.applied_start_s);
    REQUIRE(w.applied_end_s);
    // Under a sanitizer the service (built the same way) exits slowly (LeakSanitizer runs
    // at exit), and a restart's graceful stop blocks the timeline until it has.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    constexpr double kEndTolerance = 1.0;
#else
    constexpr double kEndTolerance = 0.01;
#endif
    CHECK(std::abs(*w.applied_start_s - 0.2) <= 0.01);
    CHECK(std::abs(*w.applied_end_s - 0.5) <= kEndTolerance);
    session.shutdown();
    CHECK(child_pids().empty());
    CHECK(session.warnings().empty());
    CHECK(count(read_file(dir / "api.log"), "listening on") == 2);  // the restart appended
}

TEST_CASE("chaos services: a command that cannot run fails setup with the reason", "[socket]") {
    ChaosSession session(ChaosSpec{}, make_temp_dir(), "", 1);
    const auto start = SteadyClock::instance().now();
    CHECK_THROWS_WITH(session.start_services({command_service({"faultline-no-such-command"})}),
                      "service svc: cannot start `faultline-no-such-command`: command not found in PATH");
    CHECK_THROWS_WITH(session.start_services({command_service({"/nonexistent/bin/x"})}),
                      "service svc: cannot run /nonexistent/bin/x: No such file or directory");
    auto in_missing_dir = command_service({"true"});
    in_missing_dir.cwd = "/nonexistent-dir";
    CHECK_THROWS_WITH(session.start_services({in_missing_dir}),
                      "service svc: cannot change to directory /nonexistent-dir: No such file or directory");
    CHECK(since(start) < 1);  // reported at once, not as a ready timeout
    CHECK(child_pids().empty());
}

TEST_CASE("chaos services: a service that exits or never gets ready fails setup, and the ones started are stopped", "[socket]") {
    const auto dir = make_temp_dir();
    ChaosSession session(ChaosSpec{}, dir, "", 1);
    const auto port = free_port();
    const auto start = SteadyClock::instance().now();
    CHECK_THROWS_WITH(session.start_services({demo_service("api", port, ReadyProbe::Kind::tcp),
                                              command_service({"sh", "-c", "echo boom >&2; exit 3"})}),
                      Catch::Contains("service svc: exited (exit code 3) before it was ready") &&
                          Catch::Contains("boom"));
    CHECK(child_pids().empty());  // api was stopped too
    CHECK(RawConnection::connect_error(address(port)) == ECONNREFUSED);

    ChaosSession slow(ChaosSpec{}, dir, "", 1);
    const auto before = SteadyClock::instance().now();
    CHECK_THROWS_WITH(slow.start_services({command_service({"sleep", "30"}, 300ms)}),
                      Catch::Contains("service svc: not ready after 0.3s: 127.0.0.1:") &&
                          Catch::Contains("Connection refused"));
    const double waited = since(before);
    log_timing("ready timeout", waited * 1000, 300, 100);
    CHECK(waited >= 0.3);
    CHECK(waited < 0.5);
    CHECK(child_pids().empty());
    CHECK(since(start) < 8);
}

TEST_CASE("chaos services: cancel_setup aborts a ready wait promptly", "[socket]") {
    ChaosSession session(ChaosSpec{}, make_temp_dir(), "", 1);
    std::jthread canceller([&] {
        std::this_thread::sleep_for(200ms);
        session.cancel_setup();
    });
    const auto start = SteadyClock::instance().now();
    CHECK_THROWS_WITH(session.start_services({command_service({"sleep", "30"}, 30s)}), Catch::Contains("cancelled"));
    const double waited = since(start);
    log_timing("cancelled ready wait", waited * 1000, 200, 100);
    CHECK(waited < 0.4);
    CHECK(child_pids().empty());
}
