// The admin API's hardening (docs/reliability.md, "Security"): --api-token, the warning for a
// non-loopback bind, and the request size caps.
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/proxy_command.hpp"
#include "tests/faults/support/proxy_process.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;

namespace {

// Sends `request` as is and returns everything the server sends before closing (3 s limit).
// Write errors are ignored: a server refusing a large body may close before reading it.
std::string raw_exchange(std::uint16_t port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    std::string_view rest = request;
    while (!rest.empty()) {
        const auto n = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n <= 0) break;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    std::string out;
    char buf[4096];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

std::string request(const std::string& method, const std::string& path, const std::string& extra_headers = "",
                    const std::string& body = "") {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

int status_of(const std::string& response) { return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0; }

constexpr const char* kToken = "s3cr3t-t0ken-1234";

}  // namespace

TEST_CASE("api token (--api-token): requests without the bearer token get 401 in Toxiproxy's error format", "[socket]") {
    ProxyProcess proxy({"--api-token", kToken});
    const auto port = proxy.api_port();
    const auto bearer = std::string("Authorization: Bearer ") + kToken + "\r\n";

    const auto missing = raw_exchange(port, request("GET", "/proxies"));
    CHECK(status_of(missing) == 401);
    CHECK(missing.find("WWW-Authenticate: Bearer") != std::string::npos);
    CHECK(missing.find(R"("status":401)") != std::string::npos);
    CHECK(missing.find(R"({"error":"unauthorized)") != std::string::npos);
    CHECK(missing.find(kToken) == std::string::npos);

    CHECK(status_of(raw_exchange(port, request("GET", "/version", "Authorization: Bearer wrong\r\n"))) == 401);
    CHECK(status_of(raw_exchange(port, request("GET", "/version", "Authorization: Basic czNjcjN0\r\n"))) == 401);
    CHECK(status_of(raw_exchange(port, request("GET", "/version", std::string("Authorization: Bearer ") + kToken + "x\r\n"))) == 401);
    // Every route is covered, the mutating ones included, and nothing changes.
    CHECK(status_of(raw_exchange(port, request("POST", "/proxies", "",
                                               R"({"name":"x","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"})"))) == 401);
    CHECK(status_of(raw_exchange(port, request("POST", "/reset"))) == 401);
    CHECK(status_of(raw_exchange(port, request("GET", "/metrics"))) == 401);

    CHECK(status_of(raw_exchange(port, request("GET", "/version", bearer))) == 200);
    CHECK(status_of(raw_exchange(port, request("POST", "/proxies", bearer,
                                               R"({"name":"x","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"})"))) == 201);
    const auto list = raw_exchange(port, request("GET", "/proxies", bearer));
    CHECK(status_of(list) == 200);
    CHECK(list.find(R"("name":"x")") != std::string::npos);

    // The token is never printed.
    REQUIRE(proxy.child().send_signal(SIGTERM));
    CHECK(proxy.child().wait(5s) == ExitStatus::exited(0));
    proxy.child().wait_for_output_end(5s);
    CHECK(proxy.child().stdout_text().find(kToken) == std::string::npos);
    CHECK(proxy.child().stderr_text().find(kToken) == std::string::npos);
}

TEST_CASE("FAULTLINE_API_TOKEN sets the token without putting it on the command line", "[socket]") {
    ChildOptions options;
    options.argv = {FAULTLINE_BIN, "proxy", "--port", "0"};
    options.env = {{"FAULTLINE_API_TOKEN", kToken}};
    ChildProcess child(options);
    const auto line = child.read_line_until("listening on", 10s);
    REQUIRE(line);
    const auto port = port_from_listening_line(*line);
    CHECK(status_of(raw_exchange(port, request("GET", "/version"))) == 401);
    CHECK(status_of(raw_exchange(port, request("GET", "/version", std::string("Authorization: Bearer ") + kToken + "\r\n"))) == 200);
}

TEST_CASE("a non-loopback --host warns loudly on stderr and suggests --api-token", "[socket]") {
    CHECK(faultline::is_loopback_host("127.0.0.1"));
    CHECK(faultline::is_loopback_host("127.1.2.3"));
    CHECK(faultline::is_loopback_host("::1"));
    CHECK(faultline::is_loopback_host("localhost"));
    CHECK_FALSE(faultline::is_loopback_host("0.0.0.0"));
    CHECK_FALSE(faultline::is_loopback_host("::"));
    CHECK_FALSE(faultline::is_loopback_host("10.1.2.3"));

    {
        ProxyProcess loopback;  // the default host: silent
        REQUIRE(loopback.child().send_signal(SIGTERM));
        loopback.child().wait(5s);
        loopback.child().wait_for_output_end(5s);
        CHECK(loopback.child().stderr_text().find("WARNING") == std::string::npos);
    }
    {
        ProxyProcess exposed({"--host", "0.0.0.0"});
        REQUIRE(exposed.child().send_signal(SIGTERM));
        exposed.child().wait(5s);
        exposed.child().wait_for_output_end(5s);
        const auto err = exposed.child().stderr_text();
        INFO(err);
        CHECK(err.find("WARNING: the admin API is bound to 0.0.0.0, not a loopback address") != std::string::npos);
        CHECK(err.find("no --api-token is set") != std::string::npos);
    }
    {
        ProxyProcess exposed({"--host", "0.0.0.0", "--api-token", kToken});
        REQUIRE(exposed.child().send_signal(SIGTERM));
        exposed.child().wait(5s);
        exposed.child().wait_for_output_end(5s);
        const auto err = exposed.child().stderr_text();
        INFO(err);
        CHECK(err.find("not a loopback address") != std::string::npos);
        CHECK(err.find("no --api-token") == std::string::npos);
        CHECK(err.find(kToken) == std::string::npos);
    }
}

TEST_CASE("admin API request bodies are capped at 1 MiB (413) and heads at 64 KiB", "[socket]") {
    ProxyProcess proxy;
    const auto port = proxy.api_port();
    const std::string big(2 * 1024 * 1024, ' ');
    // Declared too large: refused from the head, before the body is read.
    const auto declared = raw_exchange(port, request("POST", "/populate", "", big));
    CHECK(status_of(declared) == 413);
    CHECK(declared.find(R"("status":413)") != std::string::npos);
    // Chunked, so only reading finds out.
    std::string chunked = "POST /populate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 40; ++i) chunked += "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    chunked += "0\r\n\r\n";
    CHECK(status_of(raw_exchange(port, chunked)) == 413);
    // Just under the cap is read and judged as usual (whitespace only: a JSON error).
    CHECK(status_of(raw_exchange(port, request("POST", "/populate", "", std::string(1024 * 1024 - 1, ' ')))) == 400);
    // A head over 64 KiB: the connection is closed without a reply.
    const auto huge_head = raw_exchange(port, request("GET", "/version", "X-Big: " + std::string(100 * 1024, 'a') + "\r\n"));
    CHECK(status_of(huge_head) == 0);
    // And the server is fine afterwards.
    CHECK(proxy.call("GET", "/version").status == 200);
}
