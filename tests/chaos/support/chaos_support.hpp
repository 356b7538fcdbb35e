#pragma once
// Helpers for the chaos socket tests: the demo target and `faultline proxy` as child
// processes, a raw keep-alive HTTP connection read with deadlines (to see a connection held or
// closed), free ports, and timing logs. Everything binds 127.0.0.1; every wait is bounded.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "tests/support/child_process.hpp"

namespace faultline::test::chaos {

using namespace std::chrono_literals;
inline constexpr auto kMaxTestWait = 10s;

// A free 127.0.0.1 port (bound, then released: the caller binds it right after).
std::uint16_t free_port();

// faultline-demo-target on an ephemeral port, answering at once.
class DemoTarget {
public:
    DemoTarget();
    std::uint16_t port() const noexcept { return port_; }

private:
    std::unique_ptr<ChildProcess> child_;
    std::uint16_t port_ = 0;
};

// `faultline proxy --port 0`: an external Toxiproxy API.
class ProxyServer {
public:
    ProxyServer();
    std::uint16_t port() const noexcept { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    std::unique_ptr<ChildProcess> child_;
    std::uint16_t port_ = 0;
};

struct Reply {
    std::string error;  // "" when a reply came
    int status = 0;
    std::string body;
};
// One request on a fresh connection (chaos/http_client), bounded by `timeout`.
Reply http_get(const std::string& host_port, const std::string& target, Duration timeout = 5s);
Reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                const std::string& body = "");

// A plain TCP connection read with deadlines.
class RawConnection {
public:
    explicit RawConnection(const std::string& host_port);  // REQUIREs the connect
    ~RawConnection();
    // errno of a connect attempt (0 = connected).
    static int connect_error(const std::string& host_port);

    void send_get(const std::string& target);
    enum class Read { response, closed, timeout, data };
    // Reads one HTTP response (headers + Content-Length body); closed on EOF/reset.
    Read read_response(Duration timeout);
    // Waits for the peer to close; `data` if bytes arrive instead.
    Read wait_closed(Duration timeout);

private:
    int fd_ = -1;
    std::string buffer_;
};

// Seconds since `origin`.
double since(Clock_tp origin);
void sleep_until(Clock_tp t);
void log_timing(const std::string& what, double measured_ms, double expected_ms, double tolerance_ms);

// A fresh directory under the temp dir.
std::filesystem::path make_temp_dir();
// Live children of this process (from /proc), for "nothing left behind" checks.
std::vector<pid_t> child_pids();
std::string read_file(const std::filesystem::path& path);

}  // namespace faultline::test::chaos
