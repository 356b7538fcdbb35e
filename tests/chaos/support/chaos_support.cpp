#include "tests/chaos/support/chaos_support.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <thread>

#include "chaos/http_client.hpp"

namespace faultline::test::chaos {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

std::uint16_t port_of(const std::string& host_port) {
    return static_cast<std::uint16_t>(std::stoi(host_port.substr(host_port.rfind(':') + 1)));
}

std::uint16_t wait_listening(ChildProcess& child) {
    const auto line = child.read_line_until("listening on ", std::chrono::duration_cast<std::chrono::milliseconds>(kMaxTestWait));
    INFO("stderr: " << child.stderr_text());
    REQUIRE(line);
    const auto port = port_from_listening_line(*line);
    REQUIRE(port != 0);
    return port;
}

}  // namespace

std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    auto addr = loopback(0);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

DemoTarget::DemoTarget()
    : child_(std::make_unique<ChildProcess>(std::vector<std::string>{
          FAULTLINE_DEMO_TARGET, "--port", "0", "--latency", "0", "--jitter", "0", "--error-rate", "0"})),
      port_(wait_listening(*child_)) {}

ProxyServer::ProxyServer()
    : child_(std::make_unique<ChildProcess>(std::vector<std::string>{FAULTLINE_BIN, "proxy", "--port", "0"})),
      port_(wait_listening(*child_)) {}

Reply http_get(const std::string& host_port, const std::string& target, Duration timeout) {
    faultline::chaos::HttpUrl url;
    faultline::chaos::split_host_port(host_port, url.host, url.port);
    auto outcome = faultline::chaos::http_request(url, "GET", target, "", timeout);
    return {outcome.error, outcome.status, outcome.body};
}

Reply http_call(std::uint16_t port, const std::string& method, const std::string& target, const std::string& body) {
    faultline::chaos::HttpUrl url{"127.0.0.1", std::to_string(port), ""};
    auto outcome = faultline::chaos::http_request(url, method, target, body, 5s);
    return {outcome.error, outcome.status, outcome.body};
}

RawConnection::RawConnection(const std::string& host_port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto addr = loopback(port_of(host_port));
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
}

int RawConnection::connect_error(const std::string& host_port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto addr = loopback(port_of(host_port));
    const int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    const int error = rc == 0 ? 0 : errno;
    ::close(fd);
    return error;
}

void RawConnection::send_get(const std::string& target) {
    const auto request = fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", target);
    REQUIRE(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
}

RawConnection::Read RawConnection::read_response(Duration timeout) {
    const auto deadline = SteadyClock::instance().now() + timeout;
    for (;;) {
        const auto end = buffer_.find("\r\n\r\n");
        if (end != std::string::npos) {
            std::size_t length = 0;
            std::string lower = buffer_.substr(0, end);
            for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (const auto at = lower.find("content-length:"); at != std::string::npos)
                length = std::stoul(lower.substr(at + 15));
            if (buffer_.size() >= end + 4 + length) {
                buffer_.erase(0, end + 4 + length);
                return Read::response;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::instance().now());
        if (left.count() <= 0) return Read::timeout;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return Read::timeout;
        char chunk[4096];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return Read::closed;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

RawConnection::Read RawConnection::wait_closed(Duration timeout) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return Read::timeout;
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    return n <= 0 ? Read::closed : Read::data;
}

double since(Clock_tp origin) { return std::chrono::duration<double>(SteadyClock::instance().now() - origin).count(); }

void sleep_until(Clock_tp t) { std::this_thread::sleep_until(t); }

void log_timing(const std::string& what, double measured_ms, double expected_ms, double tolerance_ms) {
    fmt::print("{}: measured {:.1f} ms, expected {:.1f} ms (tolerance {:.1f} ms)\n", what, measured_ms, expected_ms,
               tolerance_ms);
}

std::filesystem::path make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "faultline-chaos-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

std::vector<pid_t> child_pids() {
    std::vector<pid_t> out;
    const auto self = ::getpid();
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'.
        const auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 2));
        char state = 0;
        pid_t ppid = 0;
        rest >> state >> ppid;
        if (ppid == self) out.push_back(static_cast<pid_t>(std::stoi(name)));
    }
    return out;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace faultline::test::chaos
