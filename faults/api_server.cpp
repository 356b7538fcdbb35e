#include "faults/api_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <random>
#include <unordered_set>

namespace faultline::faults {

namespace beast = boost::beast;
namespace http = beast::http;
using net::ip::tcp;

namespace {
constexpr auto use = net::as_tuple(net::use_awaitable);

// A 20-character id in xid's alphabet (base32hex), for X-Toxiproxy-Request-Id.
std::string request_id(std::mt19937_64& rng) {
    static constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuv";
    std::string id(20, '0');
    for (auto& c : id) c = alphabet[rng() % 32];
    return id;
}
}  // namespace

struct ApiServer::State : std::enable_shared_from_this<ApiServer::State> {
    State(net::any_io_executor ex, ProxyRegistry& registry) : executor(ex), acceptor(ex), api(registry) {}
    net::any_io_executor executor;
    tcp::acceptor acceptor;
    Api api;
    std::mt19937_64 ids{std::random_device{}()};  // not the toxic RNG: ids must not shift --seed draws
    std::unordered_set<beast::tcp_stream*> sessions;
    bool stopped = false;

    net::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        while (!stopped) {
            auto [ec, socket] = co_await acceptor.async_accept(use);
            if (stopped) co_return;
            if (ec) continue;
            net::co_spawn(executor, session(beast::tcp_stream(std::move(socket))), net::detached);
        }
    }

    http::response<http::string_body> respond(const http::request<http::string_body>& req) {
        auto reply = api.handle(ApiRequest{req.method_string(), req.target(), req.body(), req[http::field::user_agent]});
        http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
        res.set("X-Toxiproxy-Request-Id", request_id(ids));
        if (!reply.content_type.empty()) res.set(http::field::content_type, reply.content_type);
        if (reply.nosniff) res.set("X-Content-Type-Options", "nosniff");
        res.body() = std::move(reply.body);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        return res;
    }

    net::awaitable<void> session(beast::tcp_stream stream) {
        auto self = shared_from_this();
        sessions.insert(&stream);
        beast::flat_buffer buffer;
        while (!stopped) {
            http::request<http::string_body> req;
            stream.expires_after(std::chrono::seconds(60));  // Go's idle/read timeouts
            auto [ec, n] = co_await http::async_read(stream, buffer, req, use);
            if (ec || stopped) break;
            auto res = respond(req);
            stream.expires_after(std::chrono::seconds(30));
            auto [wec, wn] = co_await http::async_write(stream, res, use);
            if (wec || !res.keep_alive()) break;
        }
        sessions.erase(&stream);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
};

ApiServer::ApiServer(net::any_io_executor executor, ProxyRegistry& registry)
    : state_(std::make_shared<State>(std::move(executor), registry)) {}

ApiServer::~ApiServer() { stop(); }

std::string ApiServer::listen(const std::string& host, unsigned short port) {
    boost::system::error_code ec;
    auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
    if (ec) {
        tcp::resolver resolver(state_->executor);
        auto results = resolver.resolve(host, std::to_string(port), ec);
        if (ec || results.empty()) return fmt::format("cannot resolve host '{}'", host);
        address = results.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, port);
    auto& a = state_->acceptor;
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fmt::format("listen tcp {}:{}: {}", host, port, ec.message());
    net::co_spawn(state_->executor, state_->accept_loop(), net::detached);
    return {};
}

tcp::endpoint ApiServer::local_endpoint() const { return state_->acceptor.local_endpoint(); }

void ApiServer::stop() {
    state_->stopped = true;
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    for (auto* stream : state_->sessions) stream->socket().close(ignored);
}

}  // namespace faultline::faults
