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
        // Not value-initialised: reads overwrite what they return, nothing else is looked at.
        read_buffer_[static_cast<int>(d)] = std::make_unique_for_overwrite<char[]>(kChunkSize);
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
    // Synchronous write_some() then returns would_block instead of waiting (write_all's first
    // try); asynchronous operations are unaffected.
    server_.non_blocking(true, ignored);
    client_.non_blocking(true, ignored);
    co_return true;
}

tcp::socket& Connection::source(Direction d) noexcept { return d == Direction::upstream ? client_ : server_; }
tcp::socket& Connection::destination(Direction d) noexcept { return d == Direction::upstream ? server_ : client_; }

// Per chunk, with no toxic on the link (the fast path): read into the link's buffer, then
// write_all() from it. No allocation, no copy, no hand-off to another coroutine; the reader
// does not read again until the chunk is written, which is the back-pressure.
//
// Otherwise (a toxic on the link, or data of an earlier chunk still queued or being written):
// copy into a pooled buffer and push it into the link, where the stages and then
// write_loop() take it. The fast path is taken again only once the link is idle() and the
// writer has written everything, so no byte overtakes another, and a toxic added while data
// flows applies from the next chunk read.
net::awaitable<void> Connection::read_loop(Direction d) {
    auto self = shared_from_this();
    const int i = static_cast<int>(d);
    auto& socket = source(d);
    auto& input = link(d).input();
    char* const buffer = read_buffer_[i].get();
    for (;;) {
        auto [ec, n] = co_await socket.async_read_some(net::buffer(buffer, kChunkSize), use);
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
        env_.stats->received_bytes[i] += n;
        if (!writer_busy_[i] && link(d).idle()) {
            ++env_.stats->direct_chunks[i];
            if (!co_await write_all(d, buffer, n)) co_return;
            continue;
        }
        ++env_.stats->queued_chunks[i];
        std::string data = ChunkPool::take();
        data.assign(buffer, n);
        QueueItem item{false, EndKind::half, Chunk{std::move(data), env_.clock.now()}};
        if (input.try_push(std::move(item))) continue;
        // Suspends while the link is full: back-pressure instead of buffering.
        if (!co_await input.push(std::move(item))) co_return;
    }
}

net::awaitable<bool> Connection::write_all(Direction d, const char* data, std::size_t n) {
    auto& socket = destination(d);
    boost::system::error_code ec;
    std::size_t written = socket.write_some(net::buffer(data, n), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) ec = {};
    if (!ec && written < n) {
        auto [wec, more] = co_await net::async_write(socket, net::buffer(data + written, n - written), use);
        ec = wec;
        written += more;
    }
    if (closed_) co_return false;
    if (ec) {
        close();
        co_return false;
    }
    env_.stats->sent_bytes[static_cast<int>(d)] += written;
    co_return true;
}

net::awaitable<void> Connection::write_loop(Direction d) {
    auto self = shared_from_this();
    const int i = static_cast<int>(d);
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
            half_closed_[i] = true;
            if (half_closed_[0] && half_closed_[1]) close();
            co_return;
        }
        writer_busy_[i] = true;
        const bool ok = co_await write_all(d, r.item.chunk.data.data(), r.item.chunk.data.size());
        writer_busy_[i] = false;
        ChunkPool::give(std::move(r.item.chunk.data));
        if (!ok) co_return;
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
