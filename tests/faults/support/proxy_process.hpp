#pragma once
// Real-socket helpers for the proxy tests: a `faultline proxy` child on an ephemeral port, a
// blocking HTTP call to its API, and a loopback echo server (a thread per connection, fine
// for tests). Everything binds 127.0.0.1 and every wait is bounded.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/child_process.hpp"

namespace faultline::test {

struct HttpResult {
    int status = 0;
    std::string headers;
    std::string body;
};

HttpResult http_call(std::uint16_t port, const std::string& method, const std::string& path,
                     const std::string& body = "");

class ProxyProcess {
public:
    explicit ProxyProcess(std::vector<std::string> extra_args = {});
    std::uint16_t api_port() const noexcept { return port_; }
    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") const {
        return http_call(port_, method, path, body);
    }
    // Creates a proxy to 127.0.0.1:upstream_port; returns its listen port.
    std::uint16_t create_proxy(const std::string& name, std::uint16_t upstream_port) const;
    ChildProcess& child() { return *child_; }

private:
    std::unique_ptr<ChildProcess> child_;
    std::uint16_t port_ = 0;
};

class EchoServer {
public:
    EchoServer();
    ~EchoServer();
    std::uint16_t port() const noexcept { return port_; }

private:
    struct State;
    std::shared_ptr<State> state_;
    std::uint16_t port_ = 0;
    std::thread acceptor_;
};

}  // namespace faultline::test
