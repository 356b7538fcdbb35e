// `faultline proxy` under abuse (a real child process on 127.0.0.1): abrupt client
// disconnects, half-closed connections, upstream RSTs and the fd limit. After each, the
// proxy still serves, the admin API answers and the process's descriptors are back at their
// baseline (docs/reliability.md).
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "tests/faults/support/proxy_process.hpp"
#include "tests/support/hostile_server.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;

namespace {

using Clock = std::chrono::steady_clock;

std::size_t fd_count(pid_t pid) {
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++n;
    return n;
}

// Polls until the fd count is at most `baseline`; returns the last count seen.
std::size_t settle_fds(pid_t pid, std::size_t baseline, std::chrono::milliseconds limit = 5s) {
    const auto deadline = Clock::now() + limit;
    std::size_t n = fd_count(pid);
    while (n > baseline && Clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
        n = fd_count(pid);
    }
    return n;
}

// utime + stime of a process, in clock ticks.
long cpu_ticks(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stol(field);
        if (i == 15) stime = std::stol(field);
    }
    return utime + stime;
}

// A blocking loopback connection with 3 s send/receive timeouts; -1 on failure.
int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void close_with_rst(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

bool send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Reads until EOF, an error or the receive timeout; `eof` tells whether a clean EOF ended it.
std::string read_to_end(int fd, bool* eof = nullptr) {
    std::string out;
    char buf[4096];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (eof) *eof = n == 0;
        return out;
    }
}

// Reads until `want` bytes arrived (or EOF/error/timeout).
std::string read_some_bytes(int fd, std::size_t want) {
    std::string out;
    char buf[4096];
    while (out.size() < want) {
        const auto n = ::recv(fd, buf, std::min(sizeof buf, want - out.size()), 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
constexpr std::string_view kOkResponse = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

// One request through the proxy on a fresh connection; true when the upstream's "ok" came back.
bool proxied_request_works(std::uint16_t port) {
    const int fd = connect_to(port);
    if (fd < 0) return false;
    const bool ok = send_all(fd, kGet) && read_some_bytes(fd, kOkResponse.size()) == kOkResponse;
    ::close(fd);
    return ok;
}

// The proxy may still be working through the flood's backlog (under TSan that takes
// seconds): serving again within `limit` is what counts.
bool eventually_serves(std::uint16_t port, std::chrono::milliseconds limit = 10s) {
    const auto deadline = Clock::now() + limit;
    while (!proxied_request_works(port))
        if (Clock::now() >= deadline) return false;
    return true;
}

std::string active_connections_line(const ProxyProcess& proxy) {
    const auto body = proxy.call("GET", "/metrics").body;
    std::istringstream lines(body);
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind("faultline_proxy_connections_active{", 0) == 0) return line;
    return "(none)";
}

bool no_active_connections(const ProxyProcess& proxy, std::chrono::milliseconds limit = 5s) {
    const auto deadline = Clock::now() + limit;
    for (;;) {
        const auto line = active_connections_line(proxy);
        if (line.ends_with(" 0")) return true;
        if (Clock::now() >= deadline) {
            UNSCOPED_INFO("still active: " << line);
            return false;
        }
        std::this_thread::sleep_for(20ms);
    }
}

}  // namespace

TEST_CASE("10,000 abrupt client disconnects: the proxy keeps serving and its fds return to baseline", "[socket]") {
    HostileServer upstream(Behaviour::ok);
    ProxyProcess proxy;
    const auto port = proxy.create_proxy("abuse", upstream.port());
    REQUIRE(proxied_request_works(port));
    const pid_t pid = proxy.child().pid();
    const std::size_t baseline = settle_fds(pid, 0, 200ms);

    constexpr int kThreads = 8, kPerThread = 1250;
    std::atomic<int> connected{0};
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const int fd = connect_to(port);
                if (fd < 0) continue;
                ++connected;
                // Every other client says something first, so some RSTs land mid-dial and
                // some on a live link.
                if ((i + t) % 2 == 0) send_all(fd, "GET");
                close_with_rst(fd);
            }
        });
    for (auto& th : threads) th.join();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    INFO("10,000 connect+RST took " << took.count() << " ms (bound 15 s); " << connected << " connected");
    CHECK(connected == kThreads * kPerThread);
    CHECK(took < 15s);

    CHECK(proxy.call("GET", "/version").status == 200);
    CHECK(eventually_serves(port));
    CHECK(no_active_connections(proxy));
    const std::size_t after = settle_fds(pid, baseline);
    INFO("fds: baseline " << baseline << ", after " << after);
    CHECK(after <= baseline);
}

TEST_CASE("half-closed client connections get their response and EOF, then are cleaned up", "[socket]") {
    HostileServer upstream(Behaviour::ok);
    ProxyProcess proxy;
    const auto port = proxy.create_proxy("half", upstream.port());
    REQUIRE(proxied_request_works(port));
    const pid_t pid = proxy.child().pid();
    REQUIRE(no_active_connections(proxy));
    const std::size_t baseline = settle_fds(pid, 0, 200ms);

    std::vector<int> fds;
    for (int i = 0; i < 50; ++i) {
        const int fd = connect_to(port);
        REQUIRE(fd >= 0);
        REQUIRE(send_all(fd, kGet));
        // The FIN must reach the upstream; it answers, sees EOF and closes, and that EOF
        // must come back to us.
        REQUIRE(::shutdown(fd, SHUT_WR) == 0);
        fds.push_back(fd);
    }
    int complete = 0;
    for (int fd : fds) {
        bool eof = false;
        const auto got = read_to_end(fd, &eof);
        if (got == kOkResponse && eof) ++complete;
        ::close(fd);
    }
    INFO("connections that got the response then EOF: " << complete << " of 50");
    CHECK(complete == 50);
    CHECK(no_active_connections(proxy));
    const std::size_t after = settle_fds(pid, baseline);
    INFO("fds: baseline " << baseline << ", after " << after);
    CHECK(after <= baseline);
}

TEST_CASE("upstream RSTs end the client's connection and nothing else", "[socket]") {
    HostileServer resetting(Behaviour::rst_mid_body);
    HostileServer healthy(Behaviour::ok);
    ProxyProcess proxy;
    const auto bad = proxy.create_proxy("resetting", resetting.port());
    const auto good = proxy.create_proxy("healthy", healthy.port());
    REQUIRE(proxied_request_works(good));
    const pid_t pid = proxy.child().pid();
    const std::size_t baseline = settle_fds(pid, 0, 200ms);

    const auto start = Clock::now();
    int ended = 0;
    for (int i = 0; i < 50; ++i) {
        const int fd = connect_to(bad);
        REQUIRE(fd >= 0);
        REQUIRE(send_all(fd, kGet));
        const auto got = read_to_end(fd);  // part of the body, then EOF or RST; never a hang
        if (got.rfind("HTTP/1.1 200", 0) == 0 && got.size() < 100000) ++ended;
        ::close(fd);
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    INFO("50 upstream RSTs passed on in " << took.count() << " ms; " << ended << " ended short");
    CHECK(ended == 50);
    CHECK(took < 10s);
    CHECK(proxied_request_works(good));
    CHECK(proxy.call("GET", "/proxies").status == 200);
    CHECK(no_active_connections(proxy));
    const std::size_t after = settle_fds(pid, baseline);
    INFO("fds: baseline " << baseline << ", after " << after);
    CHECK(after <= baseline);
}

TEST_CASE("at ulimit -n 256 the proxy sheds clients, the API answers, nothing spins, fds recover", "[socket]") {
    HostileServer upstream(Behaviour::ok);
    ChildProcess child({"sh", "-c", std::string("ulimit -n 256 && exec ") + FAULTLINE_BIN + " proxy --port 0"});
    const auto line = child.read_line_until("listening on", 10s);
    REQUIRE(line);
    const auto api = port_from_listening_line(*line);
    auto call = [api](const std::string& method, const std::string& path, const std::string& body = "") {
        return http_call(api, method, path, body);
    };
    auto created = call("POST", "/proxies",
                        R"({"name":"limited","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                            std::to_string(upstream.port()) + "\"}");
    REQUIRE(created.status == 201);
    const auto at = created.body.find("127.0.0.1:");
    const auto port = port_from_listening_line("listening on http://" + created.body.substr(at, created.body.find('"', at) - at));
    REQUIRE(proxied_request_works(port));
    const pid_t pid = child.pid();
    const std::size_t baseline = settle_fds(pid, 0, 200ms);

    // 1. More clients than 256 descriptors can carry: (256 - 64 reserved) / 2 = 96 are
    //    proxied, the rest are shed (accepted and closed at once), and the API still answers.
    std::vector<int> clients;
    for (int i = 0; i < 200; ++i) {
        const int fd = connect_to(port);
        REQUIRE(fd >= 0);
        clients.push_back(fd);
    }
    int served = 0, shed = 0;
    for (int fd : clients) {
        if (!send_all(fd, kGet)) {
            ++shed;
            continue;
        }
        const auto got = read_some_bytes(fd, kOkResponse.size());
        if (got == kOkResponse) ++served;
        else if (got.empty()) ++shed;
    }
    INFO("served " << served << ", shed " << shed << " of 200 (expected 96 served); fds " << fd_count(pid));
    CHECK(served == 96);
    CHECK(served + shed == 200);
    const auto api_start = Clock::now();
    CHECK(call("GET", "/proxies").status == 200);
    const auto api_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - api_start);
    INFO("API answered in " << api_ms.count() << " ms with the proxy at its limit");
    CHECK(api_ms < 1s);

    // 2. Now exhaust the reserve with idle API connections: accept() fails with EMFILE and
    //    the clients left in the backlog keep the listener readable. The loop must back off.
    std::vector<int> idle;
    for (int i = 0; i < 120; ++i) {
        const int fd = connect_to(api);
        if (fd >= 0) idle.push_back(fd);
    }
    std::this_thread::sleep_for(200ms);
    const long ticks_before = cpu_ticks(pid);
    std::this_thread::sleep_for(1s);
    const long ticks = cpu_ticks(pid) - ticks_before;
    const long hz = ::sysconf(_SC_CLK_TCK);
    INFO("CPU at EMFILE: " << ticks << " ticks in 1 s (" << 100 * ticks / hz << "%, bound 20%); fds " << fd_count(pid));
    CHECK(fd_count(pid) >= 250);  // really at the limit
    CHECK(ticks * 5 < hz);

    // 3. Give the descriptors back: the API answers again and the fd count returns to baseline.
    for (int fd : idle) ::close(fd);
    for (int fd : clients) ::close(fd);
    std::this_thread::sleep_for(100ms);
    CHECK(call("GET", "/version").status == 200);
    CHECK(proxied_request_works(port));
    const std::size_t after = settle_fds(pid, baseline);
    INFO("fds: baseline " << baseline << ", after " << after);
    CHECK(after <= baseline);
    REQUIRE(child.send_signal(SIGTERM));
    CHECK(child.wait(5s) == ExitStatus::exited(0));
}
