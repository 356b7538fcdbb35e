#include "chaos/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>

namespace faultline::chaos {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using net::ip::tcp;

namespace {

constexpr auto use = net::as_tuple(net::use_awaitable);

std::string describe(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout || ec == net::error::operation_aborted) return "timed out";
    return ec.message();
}

std::string timeout_text(Duration timeout) {
    return fmt::format("timed out after {} ms", std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count());
}

net::awaitable<void> exchange(tcp::resolver& resolver, beast::tcp_stream& stream, const HttpUrl& server,
                              http::request<http::string_body>& request, Duration timeout, HttpOutcome& out) {
    auto [rec, endpoints] = co_await resolver.async_resolve(server.host, server.port, use);
    if (rec) {
        out.error = "cannot resolve " + server.host + ": " + rec.message();
        co_return;
    }
    stream.expires_after(timeout);
    auto [cec, endpoint] = co_await stream.async_connect(endpoints, use);
    if (cec) {
        out.error = cec == beast::error::timeout ? timeout_text(timeout) : cec.message();
        co_return;
    }
    auto [wec, written] = co_await http::async_write(stream, request, use);
    if (wec) {
        out.error = "sending the request: " + describe(wec);
        co_return;
    }
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    auto [ec, read] = co_await http::async_read(stream, buffer, response, use);
    if (ec) {
        out.error = ec == beast::error::timeout ? timeout_text(timeout) : "reading the reply: " + ec.message();
        co_return;
    }
    out.status = static_cast<int>(response.result_int());
    out.body = std::move(response.body());
}

// Cancels what is still pending and lets the coroutine end before the locals it refers to go.
void unwind(net::io_context& io, tcp::resolver& resolver, beast::tcp_stream& stream) {
    resolver.cancel();
    beast::close_socket(stream);
    io.restart();
    io.run_for(std::chrono::milliseconds(100));
}

}  // namespace

std::optional<HttpUrl> parse_http_url(std::string_view url, std::string& error) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        error = fmt::format("'{}' is not a URL", url);
        return std::nullopt;
    }
    if (parsed->scheme() != "http") {
        error = fmt::format("'{}': only http:// is supported", url);
        return std::nullopt;
    }
    HttpUrl out;
    out.host = parsed->host_address();
    if (out.host.size() > 2 && out.host.front() == '[') out.host = out.host.substr(1, out.host.size() - 2);
    out.port = parsed->has_port() ? std::string(parsed->port()) : "80";
    out.target = std::string(parsed->encoded_path());
    if (parsed->has_query()) out.target += "?" + std::string(parsed->encoded_query());
    if (out.host.empty()) {
        error = fmt::format("'{}' has no host", url);
        return std::nullopt;
    }
    return out;
}

HttpOutcome http_request(const HttpUrl& server, std::string_view method, std::string_view target,
                         std::string_view body, Duration timeout) {
    http::request<http::string_body> request;
    request.method_string(method);
    request.target(target.empty() ? "/" : target);
    request.version(11);
    request.set(http::field::host, server.host.find(':') != std::string::npos ? "[" + server.host + "]:" + server.port
                                                                               : server.host + ":" + server.port);
    request.set(http::field::user_agent, "faultline");
    request.keep_alive(false);
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    request.body() = std::string(body);
    request.prepare_payload();

    net::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    HttpOutcome out;
    bool done = false;
    net::co_spawn(io, exchange(resolver, stream, server, request, timeout, out), [&](std::exception_ptr e) {
        done = true;
        if (e) out.error = "internal error";
    });
    // The stream's expiry bounds connect, write and read; this bounds the name lookup too.
    io.run_for(timeout + std::chrono::milliseconds(100));
    if (!done) {
        out = HttpOutcome{timeout_text(timeout), 0, {}};
        unwind(io, resolver, stream);
    }
    return out;
}

std::string tcp_connect_check(const std::string& host, const std::string& port, Duration timeout) {
    net::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    std::string error = timeout_text(timeout);
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
            auto [rec, endpoints] = co_await resolver.async_resolve(host, port, use);
            if (rec) {
                error = "cannot resolve " + host + ": " + rec.message();
                co_return;
            }
            stream.expires_after(timeout);
            auto [ec, endpoint] = co_await stream.async_connect(endpoints, use);
            error = ec ? (ec == beast::error::timeout ? timeout_text(timeout) : ec.message()) : "";
        },
        [](std::exception_ptr) {});
    io.run_for(timeout + std::chrono::milliseconds(100));
    if (error == timeout_text(timeout)) unwind(io, resolver, stream);
    return error;
}

bool split_host_port(std::string_view address, std::string& host, std::string& port) {
    const auto colon = address.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == address.size()) return false;
    host = std::string(address.substr(0, colon));
    port = std::string(address.substr(colon + 1));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "127.0.0.1";
    return true;
}

}  // namespace faultline::chaos
