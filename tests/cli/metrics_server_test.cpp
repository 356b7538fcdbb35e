#include "cli/metrics_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "reports/prometheus_text.hpp"
#include "tests/cli/run_harness.hpp"

using faultline::MetricsServer;

namespace {

// Sends `request` to 127.0.0.1:port and returns everything read until the server closes.
std::string send_and_read(unsigned short port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
    std::string reply;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return reply;
}

std::string get(unsigned short port, const std::string& method, const std::string& target) {
    return send_and_read(port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

std::string body_of(const std::string& reply) {
    const auto p = reply.find("\r\n\r\n");
    return p == std::string::npos ? std::string() : reply.substr(p + 4);
}

}  // namespace

TEST_CASE("metrics server: GET /metrics returns the latest text as Prometheus 0.0.4", "[socket]") {
    MetricsServer server("127.0.0.1:0");
    REQUIRE(server.port() != 0);
    auto reply = get(server.port(), "GET", "/metrics");
    CHECK(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(body_of(reply).empty());

    faultline::LiveMetrics m;
    m.shard = "0/3";
    const auto text = faultline::prometheus_text(m);
    server.update(text);
    reply = get(server.port(), "GET", "/metrics");
    CHECK(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK_THAT(reply, Catch::Contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
    CHECK_THAT(reply, Catch::Contains("\r\nContent-Length: " + std::to_string(text.size()) + "\r\n"));
    CHECK(body_of(reply) == text);

    server.update("faultline_requests_total 7\n");
    CHECK(body_of(get(server.port(), "GET", "/metrics?x=1")) == "faultline_requests_total 7\n");
    const auto head = get(server.port(), "HEAD", "/metrics");
    CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(body_of(head).empty());
}

TEST_CASE("metrics server: keep-alive serves several scrapes on one connection", "[socket]") {
    MetricsServer server("127.0.0.1:0");
    server.update("a 1\n");
    const std::string keep = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string close = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const auto reply = send_and_read(server.port(), keep + keep + close);
    std::size_t count = 0;
    for (auto p = reply.find("HTTP/1.1 200 OK"); p != std::string::npos; p = reply.find("HTTP/1.1 200 OK", p + 1)) ++count;
    CHECK(count == 3);
}

TEST_CASE("metrics server: other paths are 404, other methods 405", "[socket]") {
    MetricsServer server("127.0.0.1:0");
    CHECK(get(server.port(), "GET", "/").rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
    CHECK(get(server.port(), "GET", "/metricsx").rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
    const auto post = get(server.port(), "POST", "/metrics");
    CHECK(post.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0) == 0);
    CHECK_THAT(post, Catch::Contains("\r\nAllow: GET, HEAD\r\n"));
}

TEST_CASE("metrics server: a taken port or a bad address throws a message naming it", "[socket]") {
    MetricsServer first("127.0.0.1:0");
    const auto taken = "127.0.0.1:" + std::to_string(first.port());
    CHECK_THROWS_WITH(MetricsServer(taken), Catch::StartsWith("--metrics-listen " + taken + ": cannot listen: ") &&
                                                Catch::Contains("in use"));
    CHECK_THROWS_WITH(MetricsServer("127.0.0.1"), Catch::StartsWith("--metrics-listen 127.0.0.1: "));
    CHECK_THROWS_WITH(MetricsServer("127.0.0.1:99999"), Catch::StartsWith("--metrics-listen 127.0.0.1:99999: "));
}

TEST_CASE("metrics server: update() from another thread while scrapes run", "[socket]") {
    MetricsServer server("127.0.0.1:0");
    std::thread writer([&] {
        for (int i = 0; i < 2000; ++i) server.update("faultline_requests_total " + std::to_string(i) + "\n");
    });
    for (int i = 0; i < 20; ++i) {
        const auto body = body_of(get(server.port(), "GET", "/metrics"));
        CHECK((body.empty() || body.rfind("faultline_requests_total ", 0) == 0));
    }
    writer.join();
    CHECK(body_of(get(server.port(), "GET", "/metrics")) == "faultline_requests_total 1999\n");
}

TEST_CASE("faultline run --metrics-listen serves the run's live figures while it runs", "[socket]") {
    faultline::test::DemoTarget target({"--latency", "1ms", "--jitter", "0ms", "--error-rate", "0"});
    const auto port = faultline::test::unused_port();
    faultline::test::ChildProcess run({FAULTLINE_BIN, "run", "--url", target.url() + "/", "--rate", "100", "--duration",
                                       "3s", "--interval", "250ms", "--quiet", "--metrics-listen",
                                       "127.0.0.1:" + std::to_string(port)});
    // Scrape until an interval has closed (the server answers from the start, with zeros).
    std::string body;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto reply = get(port, "GET", "/metrics");
        body = body_of(reply);
        if (body.find("faultline_requests_total 0\n") == std::string::npos &&
            body.find("faultline_requests_total") != std::string::npos)
            break;
    }
    INFO(body);
    CHECK(body.find("faultline_run_info{scenario=\"adhoc\"") != std::string::npos);
    CHECK(body.find("faultline_responses_total{code=\"200\"}") != std::string::npos);
    CHECK(body.find("faultline_requests_total 0\n") == std::string::npos);
    const auto status = run.wait(std::chrono::seconds(20));
    REQUIRE(status);
    CHECK(*status == faultline::test::ExitStatus::exited(0));
}
