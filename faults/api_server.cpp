#include "faults/api_server.hpp"

#include "faults/fd_budget.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <limits>
#include <optional>
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

// Compares without an early exit, so the time taken says nothing about how much matched.
// (The length is not secret: tokens are compared only when the lengths agree.)
bool same_secret(std::string_view given, std::string_view secret) {
    if (given.size() != secret.size() || secret.empty()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < secret.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ secret[i]);
    return diff == 0;
}

constexpr std::size_t kMaxHeadBytes = 64 * 1024;
constexpr std::size_t kMaxDrainBytes = 8 * 1024 * 1024;
constexpr std::chrono::milliseconds kAcceptBackoff{50};
}  // namespace

struct ApiServer::State : std::enable_shared_from_this<ApiServer::State> {
    State(net::any_io_executor ex, ProxyRegistry& registry, ApiServerOptions opts)
        : executor(ex), acceptor(ex), api(registry), options(std::move(opts)) {}
    net::any_io_executor executor;
    tcp::acceptor acceptor;
    Api api;
    ApiServerOptions options;
    std::mt19937_64 ids{std::random_device{}()};  // not the toxic RNG: ids must not shift --seed draws
    std::unordered_set<beast::tcp_stream*> sessions;
    bool stopped = false;

    net::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        while (!stopped) {
            auto [ec, socket] = co_await acceptor.async_accept(use);
            if (stopped) co_return;
            if (ec && accept_error_is_resource_exhaustion(ec.value())) {
                // EMFILE and the like: the listener stays readable, so retrying at once spins.
                net::steady_timer pause(executor, kAcceptBackoff);
                co_await pause.async_wait(use);
                if (stopped) co_return;
            }
            if (ec) continue;
            net::co_spawn(executor, session(beast::tcp_stream(std::move(socket))), net::detached);
        }
    }

    template <class Request>
    http::response<http::string_body> respond(const Request& req, ApiReply reply) {
        http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
        res.set("X-Toxiproxy-Request-Id", request_id(ids));
        if (!reply.content_type.empty()) res.set(http::field::content_type, reply.content_type);
        if (reply.nosniff) res.set("X-Content-Type-Options", "nosniff");
        if (reply.www_authenticate) res.set(http::field::www_authenticate, "Bearer realm=\"faultline proxy\"");
        res.body() = std::move(reply.body);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        return res;
    }

    bool authorized(std::string_view authorization) const {
        if (options.token.empty()) return true;
        constexpr std::string_view kBearer = "Bearer ";
        if (!authorization.starts_with(kBearer)) return false;
        return same_secret(authorization.substr(kBearer.size()), options.token);
    }

    // The reply for a request whose head has been read, or nullopt to go on and read its body.
    template <class Parser>
    std::optional<ApiReply> refuse_early(const Parser& parser) const {
        const auto& req = parser.get();
        if (!authorized(req[http::field::authorization])) {
            auto reply = error_reply(401, "unauthorized: send the --api-token as Authorization: Bearer <token>");
            reply.www_authenticate = true;
            return reply;
        }
        if (parser.content_length() && *parser.content_length() > options.max_body_bytes)
            return error_reply(413, fmt::format("request body larger than {} bytes", options.max_body_bytes));
        return std::nullopt;
    }

    net::awaitable<void> session(beast::tcp_stream stream) {
        auto self = shared_from_this();
        sessions.insert(&stream);
        beast::flat_buffer buffer;
        bool refused = false;
        while (!stopped) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(kMaxHeadBytes);
            // No body limit while reading the head, so a too-large Content-Length is answered
            // (refuse_early) instead of failing the read; then the cap applies to the body.
            parser.body_limit(std::numeric_limits<std::uint64_t>::max());
            stream.expires_after(std::chrono::seconds(60));  // Go's idle/read timeouts
            auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use);
            if (hec || stopped) break;
            std::optional<ApiReply> early = refuse_early(parser);
            if (!early) {
                parser.body_limit(options.max_body_bytes);
                auto [ec, n] = co_await http::async_read(stream, buffer, parser, use);
                if (stopped) break;
                if (ec == http::error::body_limit)
                    early = error_reply(413, fmt::format("request body larger than {} bytes", options.max_body_bytes));
                else if (ec)
                    break;
            }
            const auto& req = parser.get();
            auto res = early ? respond(req, std::move(*early))
                             : respond(req, api.handle(ApiRequest{req.method_string(), req.target(), req.body(),
                                                                  req[http::field::user_agent]}));
            // A refused request's body was not read: the stream cannot carry another request.
            if (early) res.keep_alive(false);
            stream.expires_after(std::chrono::seconds(30));
            auto [wec, wn] = co_await http::async_write(stream, res, use);
            if (wec || !res.keep_alive()) {
                refused = early.has_value() && !wec;
                break;
            }
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        if (refused && !stopped) co_await drain(stream);
        sessions.erase(&stream);
    }

    // After refusing a request whose body was not read, reads and drops what the client still
    // sends (bounded in bytes and time) before closing: closing with unread data would send
    // an RST, and the client's TCP could discard the 401/413 before the client reads it.
    net::awaitable<void> drain(beast::tcp_stream& stream) {
        std::size_t total = 0;
        char scratch[16 * 1024];
        stream.expires_after(std::chrono::seconds(1));
        while (total < kMaxDrainBytes && !stopped) {
            auto [ec, n] = co_await stream.async_read_some(net::buffer(scratch), use);
            if (ec) break;
            total += n;
        }
    }
};

ApiServer::ApiServer(net::any_io_executor executor, ProxyRegistry& registry, ApiServerOptions options)
    : state_(std::make_shared<State>(std::move(executor), registry, std::move(options))) {}

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
