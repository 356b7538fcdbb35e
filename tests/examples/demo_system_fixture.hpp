#pragma once
// Shared by the two-tier demo system tests: flags for --mode backend and frontend, a
// blackhole listener (accepts TCP connections in the kernel backlog, never answers) and
// requests with extra headers.
#include <fcntl.h>

#include "tests/examples/demo_target_fixture.hpp"

namespace faultline::test::examples {

// A backend that answers at once and never fails, plus `extra`.
inline std::vector<std::string> backend_flags(std::vector<std::string> extra = {}) {
    std::vector<std::string> flags{"--mode", "backend", "--port", "0", "--latency", "0", "--jitter", "0"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return flags;
}

inline std::vector<std::string> frontend_flags(std::uint16_t backend_port, std::vector<std::string> extra = {}) {
    std::vector<std::string> flags{"--mode", "frontend", "--port", "0", "--backend",
                                   fmt::format("127.0.0.1:{}", backend_port)};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return flags;
}

// Listens on 127.0.0.1 and never accepts: connects succeed, requests are never answered.
class Blackhole {
public:
    explicit Blackhole(std::uint16_t port = 0) : acceptor_(ioc_) {
        const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
        acceptor_.open(endpoint.protocol());
        // Children started later (the frontend) must not inherit the listener, or it would
        // outlive close() and keep the port.
        ::fcntl(acceptor_.native_handle(), F_SETFD, FD_CLOEXEC);
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(64);
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    void close() { acceptor_.close(); }

private:
    net::io_context ioc_;
    tcp::acceptor acceptor_;
};

inline http::request<http::string_body> request_with(
    http::verb method, std::string_view target, std::vector<std::pair<std::string, std::string>> headers,
    std::string body = {}) {
    auto req = make_request(method, target, std::move(body));
    for (const auto& [name, value] : headers) req.set(name, value);
    return req;
}

// Sends `req` on `client` and returns the response and how long it took.
template <class C>
std::pair<Response, std::chrono::nanoseconds> timed(C& client, const http::request<http::string_body>& req) {
    const auto start = std::chrono::steady_clock::now();
    client.send(req);
    auto res = client.receive(req.method() == http::verb::head);
    return {std::move(res), std::chrono::steady_clock::now() - start};
}

// The frontend's /stats as JSON.
inline boost::json::object stats_of(std::uint16_t frontend_port) {
    PlainClient client(frontend_port);
    return boost::json::parse(client.get("/stats").body()).as_object();
}

}  // namespace faultline::test::examples
