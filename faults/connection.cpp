#include "faults/connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace faultline::faults {

using net::ip::tcp;
namespace {
constexpr std::size_t kReadSize = 32 * 1024;  // Toxiproxy's chunk size (Go io.Copy buffer)
constexpr auto use = net::as_tuple(net::use_awaitable);
}  // namespace

Connection::Connection(ConnectionEnv env, tcp::socket client, std::function<void(Connection*)> on_closed)
    : env_(std::move(env)), client_(std::move(client)), server_(env_.executor), on_closed_(std::move(on_closed)) {
    ++env_.stats->connections_total;
    ++env_.stats->connections_active;
}

Connection::~Connection() {
    if (!closed_ && env_.budget) env_.budget->release();
}

void Connection::attach(const std::vector<LinkToxic>& up_chain, const std::vector<LinkToxic>& down_chain) {
    std::weak_ptr<LinkControl> control = std::static_pointer_cast<LinkControl>(shared_from_this());
    for (auto d : {Direction::upstream, Direction::downstream})
        links_[static_cast<int>(d)] = std::make_shared<Link>(env_.executor, env_.clock, env_.rng, control);
    link(Direction::upstream).start(up_chain);
    link(Direction::downstream).start(down_chain);
}

net::awaitable<void> Connection::run(std::string upstream) {
    auto self = shared_from_this();
    if (!co_await dial(upstream)) {
        close();  // the client was accepted, so it reads EOF (as with Toxiproxy)
        co_return;
    }
    for (auto d : {Direction::upstream, Direction::downstream}) {
        net::co_spawn(env_.executor, read_loop(d), net::detached);
        net::co_spawn(env_.executor, write_loop(d), net::detached);
    }
}

net::awaitable<bool> Connection::dial(const std::string& upstream) {
    const auto colon = upstream.rfind(':');
    if (colon == std::string::npos) co_return false;
    std::string host = upstream.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "localhost";
    // Asynchronous, with a timeout, so a black-holed upstream never blocks other accepts.
    net::steady_timer timer(env_.executor);
    timer.expires_after(env_.dial_timeout);
    std::weak_ptr<Connection> weak = weak_from_this();
    timer.async_wait([weak](boost::system::error_code ec) {
        if (auto self = weak.lock(); self && !ec) self->server_.close();
    });
    tcp::resolver resolver(env_.executor);
    auto [rec, endpoints] = co_await resolver.async_resolve(host, upstream.substr(colon + 1), use);
    if (rec || closed_) co_return false;
    auto [cec, ep] = co_await net::async_connect(server_, endpoints, use);
    timer.cancel();
    if (cec || closed_) co_return false;
    boost::system::error_code ignored;
    server_.set_option(tcp::no_delay(true), ignored);
    client_.set_option(tcp::no_delay(true), ignored);
    co_return true;
}

tcp::socket& Connection::source(Direction d) noexcept { return d == Direction::upstream ? client_ : server_; }
tcp::socket& Connection::destination(Direction d) noexcept { return d == Direction::upstream ? server_ : client_; }

net::awaitable<void> Connection::read_loop(Direction d) {
    auto self = shared_from_this();
    auto& socket = source(d);
    auto& input = link(d).input();
    for (;;) {
        std::string buffer(kReadSize, '\0');
        auto [ec, n] = co_await socket.async_read_some(net::buffer(buffer), use);
        if (closed_) co_return;
        if (ec == net::error::eof) {
            QueueItem eof{true, EndKind::half, {}};  // named: g++ 12 mishandles temporaries in co_await
            co_await input.push(std::move(eof));
            co_return;
        }
        if (ec) {
            close();
            co_return;
        }
        buffer.resize(n);
        env_.stats->received_bytes[static_cast<int>(d)] += n;
        // Suspends while the link is full: back-pressure instead of buffering.
        QueueItem item{false, EndKind::half, Chunk{std::move(buffer), env_.clock.now()}};
        if (!co_await input.push(std::move(item))) co_return;
    }
}

net::awaitable<void> Connection::write_loop(Direction d) {
    auto self = shared_from_this();
    auto& socket = destination(d);
    net::steady_timer timer(env_.executor);
    for (;;) {
        auto r = co_await link(d).output().pop(env_.clock, timer);
        if (closed_ || r.status != PopResult::Status::item) co_return;
        if (r.item.eof) {
            if (r.item.end == EndKind::full) {
                close();
                co_return;
            }
            // Half-close is propagated as a half-close; the connection ends when both
            // directions have ended.
            boost::system::error_code ignored;
            socket.shutdown(tcp::socket::shutdown_send, ignored);
            half_closed_[static_cast<int>(d)] = true;
            if (half_closed_[0] && half_closed_[1]) close();
            co_return;
        }
        auto [ec, n] = co_await net::async_write(socket, net::buffer(r.item.chunk.data), use);
        if (closed_) co_return;
        if (ec) {
            close();
            co_return;
        }
        env_.stats->sent_bytes[static_cast<int>(d)] += n;
    }
}

void Connection::close() {
    if (closed_) return;
    closed_ = true;
    --env_.stats->connections_active;
    if (env_.budget) env_.budget->release();
    for (auto& l : links_)
        if (l) l->abort();
    boost::system::error_code ignored;
    client_.close(ignored);
    server_.close(ignored);
    if (on_closed_) on_closed_(this);
}

void Connection::reset_connection() {
    boost::system::error_code ignored;
    // SO_LINGER 0 makes close() send RST, only on connections where the toxic fires (#603).
    client_.set_option(net::socket_base::linger(true, 0), ignored);
    server_.set_option(net::socket_base::linger(true, 0), ignored);
    close();
}

}  // namespace faultline::faults
