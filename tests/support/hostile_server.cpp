#include "tests/support/hostile_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace faultline::test {
namespace net = boost::asio;
using net::ip::tcp;

namespace {

constexpr auto kAwait = net::as_tuple(net::use_awaitable);

struct PathName {
    Behaviour behaviour;
    std::string_view path;
};
constexpr PathName kPaths[] = {
    {Behaviour::ok, "/"},
    {Behaviour::oversized_header, "/oversized-header"},
    {Behaviour::endless_length, "/endless-length"},
    {Behaviour::endless_chunked, "/endless-chunked"},
    {Behaviour::endless_close, "/endless-close"},
    {Behaviour::bad_chunk, "/bad-chunk"},
    {Behaviour::unsolicited, "/unsolicited"},
    {Behaviour::late_extra, "/late-extra"},
    {Behaviour::slowloris, "/slowloris"},
    {Behaviour::rst_mid_body, "/rst-mid-body"},
};

Behaviour behaviour_for(std::string_view head) {
    const auto sp = head.find(' ');
    const auto end = head.find(' ', sp + 1);
    if (sp == std::string_view::npos || end == std::string_view::npos) return Behaviour::ok;
    const auto path = head.substr(sp + 1, end - sp - 1);
    for (const auto& p : kPaths)
        if (p.path == path) return p.behaviour;
    return Behaviour::ok;
}

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

class Session {
public:
    Session(tcp::socket socket, Behaviour behaviour, std::shared_ptr<HostileServer::Stats> stats)
        : socket_(std::move(socket)), behaviour_(behaviour), stats_(std::move(stats)) {}

    net::awaitable<void> run() {
        ++stats_->connections;
        if (behaviour_ == Behaviour::unsolicited) {
            // Both responses in one write, before the request: the client sees them together.
            std::string twice = std::string(kOk) + std::string(kOk);
            co_await write(twice);
            co_await read_request();  // then close once the (ignored) request arrived
            co_return;
        }
        for (;;) {
            if (!co_await read_request()) co_return;
            const Behaviour b = behaviour_ == Behaviour::by_path ? behaviour_for(head_) : behaviour_;
            if (!co_await respond(b)) co_return;
        }
    }

private:
    net::awaitable<bool> read_request() {
        buffer_.erase(0, head_end_);
        auto [ec, n] = co_await net::async_read_until(socket_, net::dynamic_buffer(buffer_), "\r\n\r\n", kAwait);
        if (ec) co_return false;
        head_end_ = n;
        head_ = buffer_.substr(0, n);
        ++stats_->requests;
        co_return true;
    }

    net::awaitable<bool> write(std::string_view bytes) {
        auto [ec, n] = co_await net::async_write(socket_, net::buffer(bytes), kAwait);
        co_return !ec;
    }

    net::awaitable<void> pause(std::chrono::milliseconds d) {
        net::steady_timer timer(socket_.get_executor(), d);
        co_await timer.async_wait(kAwait);
    }

    // Body bytes until the client closes; `chunked` frames them.
    net::awaitable<void> endless(bool chunked) {
        const std::string block(16 * 1024, 'x');
        const std::string framed = chunked ? "4000\r\n" + block + "\r\n" : block;
        while (co_await write(framed)) stats_->body_bytes += block.size();
    }

    // False: the connection is done.
    net::awaitable<bool> respond(Behaviour b) {
        switch (b) {
        case Behaviour::oversized_header: {
            std::string head = "HTTP/1.1 200 OK\r\nX-Filler: " + std::string(256 * 1024, 'h') + "\r\nContent-Length: 0\r\n\r\n";
            co_await write(head);
            co_return false;
        }
        case Behaviour::endless_length:
            if (co_await write("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\n")) co_await endless(false);
            co_return false;
        case Behaviour::endless_chunked:
            if (co_await write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) co_await endless(true);
            co_return false;
        case Behaviour::endless_close:
            if (co_await write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")) co_await endless(false);
            co_return false;
        case Behaviour::bad_chunk:
            co_await write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
            co_return false;
        case Behaviour::slowloris: {
            const std::string_view head = "HTTP/1.1 200 OK\r\nX-Slow: ";
            for (std::size_t i = 0;; ++i) {
                const char c = i < head.size() ? head[i] : 's';
                if (!co_await write(std::string_view(&c, 1))) co_return false;
                co_await pause(std::chrono::milliseconds(200));
            }
        }
        case Behaviour::rst_mid_body: {
            std::string part = "HTTP/1.1 200 OK\r\nContent-Length: 50000\r\n\r\n" + std::string(1000, 'b');
            if (!co_await write(part)) co_return false;
            stats_->body_bytes += 1000;
            co_await pause(std::chrono::milliseconds(30));  // let the client read the head first
            boost::system::error_code ignored;
            socket_.set_option(net::socket_base::linger(true, 0), ignored);
            socket_.close(ignored);
            co_return false;
        }
        case Behaviour::late_extra:
            // The extra response lands while the client's connection sits idle between requests.
            if (!co_await write(kOk)) co_return false;
            co_await pause(std::chrono::milliseconds(30));
            co_return co_await write(kOk);
        case Behaviour::ok:
        case Behaviour::unsolicited:
        case Behaviour::by_path: co_return co_await write(kOk);
        }
        co_return false;
    }

    tcp::socket socket_;
    Behaviour behaviour_;
    std::shared_ptr<HostileServer::Stats> stats_;
    std::string buffer_;
    std::string head_;
    std::size_t head_end_ = 0;
};

}  // namespace

std::string_view behaviour_path(Behaviour b) noexcept {
    for (const auto& p : kPaths)
        if (p.behaviour == b) return p.path;
    return "/";
}

struct HostileServer::Impl {
    net::io_context io;
    tcp::acceptor acceptor{io};
    std::thread thread;
};

HostileServer::HostileServer(Behaviour behaviour) : impl_(std::make_unique<Impl>()), stats_(std::make_shared<Stats>()) {
    auto& acceptor = impl_->acceptor;
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    port_ = acceptor.local_endpoint().port();
    auto stats = stats_;
    net::co_spawn(
        impl_->io,
        [&acceptor, behaviour, stats]() -> net::awaitable<void> {
            for (;;) {
                auto [ec, socket] = co_await acceptor.async_accept(kAwait);
                if (!acceptor.is_open()) co_return;
                if (ec) continue;
                auto session = std::make_shared<Session>(std::move(socket), behaviour, stats);
                net::co_spawn(acceptor.get_executor(), [session]() { return session->run(); }, net::detached);
            }
        },
        net::detached);
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

HostileServer::~HostileServer() {
    net::post(impl_->io, [this] {
        boost::system::error_code ignored;
        impl_->acceptor.close(ignored);
    });
    impl_->io.stop();
    impl_->thread.join();
}

std::string HostileServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

}  // namespace faultline::test
