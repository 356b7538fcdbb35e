#include "tests/faults/support/proxy_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <mutex>

namespace faultline::test {

namespace net = boost::asio;
using net::ip::tcp;

HttpResult http_call(std::uint16_t port, const std::string& method, const std::string& path, const std::string& body) {
    net::io_context io;
    tcp::socket s(io);
    s.connect({net::ip::make_address("127.0.0.1"), port});
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: faultline-test\r\nConnection: close\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    net::write(s, net::buffer(req));
    std::string raw;
    boost::system::error_code ec;
    net::read(s, net::dynamic_buffer(raw), ec);
    HttpResult r;
    if (raw.size() > 12) r.status = std::stoi(raw.substr(9, 3));
    const auto split = raw.find("\r\n\r\n");
    r.headers = raw.substr(0, split);
    if (split != std::string::npos) r.body = raw.substr(split + 4);
    return r;
}

ProxyProcess::ProxyProcess(std::vector<std::string> extra_args) {
    std::vector<std::string> argv{FAULTLINE_BIN, "proxy", "--port", "0"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    child_ = std::make_unique<ChildProcess>(argv);
    auto line = child_->read_line_until("listening on", std::chrono::seconds(10));
    REQUIRE(line);
    port_ = port_from_listening_line(*line);
    REQUIRE(port_ != 0);
}

std::uint16_t ProxyProcess::create_proxy(const std::string& name, std::uint16_t upstream_port) const {
    auto r = call("POST", "/proxies",
                  R"({"name":")" + name + R"(","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                      std::to_string(upstream_port) + "\"}");
    REQUIRE(r.status == 201);
    return port_from_listening_line("listening on http://" +
                                    r.body.substr(r.body.find("127.0.0.1:"), r.body.find('"', r.body.find("127.0.0.1:")) -
                                                                                 r.body.find("127.0.0.1:")));
}

struct EchoServer::State {
    net::io_context io;
    tcp::acceptor acceptor{io};
    std::mutex mutex;
    std::vector<std::thread> threads;
    std::atomic<bool> stop{false};
};

EchoServer::EchoServer() : state_(std::make_shared<State>()) {
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
    state_->acceptor.open(ep.protocol());
    state_->acceptor.bind(ep);
    state_->acceptor.listen();
    port_ = state_->acceptor.local_endpoint().port();
    acceptor_ = std::thread([state = state_] {
        for (;;) {
            auto socket = std::make_shared<tcp::socket>(state->io);
            boost::system::error_code ec;
            state->acceptor.accept(*socket, ec);
            if (ec || state->stop) return;
            std::lock_guard lock(state->mutex);
            // Holds `state` too: the socket belongs to state->io, which must outlive it even
            // after ~EchoServer has detached this thread.
            state->threads.emplace_back([socket, state]() mutable {
                std::vector<char> buf(65536);
                boost::system::error_code e;
                for (;;) {
                    auto n = socket->read_some(net::buffer(buf), e);
                    if (e) break;
                    net::write(*socket, net::buffer(buf.data(), n), e);
                    if (e) break;
                }
                socket->close(e);
                socket.reset();  // before `state` (and its io_context) can go
            });
        }
    });
}

EchoServer::~EchoServer() {
    state_->stop = true;
    boost::system::error_code ec;
    {
        net::io_context io;
        tcp::socket poke(io);
        poke.connect({net::ip::make_address("127.0.0.1"), port_}, ec);  // wakes accept()
    }
    acceptor_.join();
    std::lock_guard lock(state_->mutex);
    for (auto& t : state_->threads) t.detach();  // each ends when its peer (the proxy) closes
}

}  // namespace faultline::test
