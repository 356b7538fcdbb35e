#include "examples/demo_target/responders.hpp"

#include "examples/demo_target/api_routes.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace faultline::demo {

namespace net = boost::asio;
namespace http = boost::beast::http;
using boost::beast::error_code;

namespace {

constexpr std::string_view kServerName = "faultline-demo-target";

// The hot path (HTTP/1.1 keep-alive, not HEAD) writes these pre-serialised bytes as they are.
constexpr std::string_view kOkResponse =
    "HTTP/1.1 200 OK\r\nServer: faultline-demo-target\r\nContent-Type: text/plain\r\n"
    "Content-Length: 3\r\n\r\nok\n";
constexpr std::string_view kInjectedErrorResponse =
    "HTTP/1.1 500 Internal Server Error\r\nServer: faultline-demo-target\r\nContent-Type: text/plain\r\n"
    "Content-Length: 15\r\n\r\ninjected error\n";

using Pattern = std::array<char, 64 * 1024>;

// Body bytes for /bytes and /chunked: a repeating alphabet, written straight from here.
const Pattern& body_pattern() {
    static const Pattern pattern = [] {
        Pattern p;
        for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<char>('a' + i % 26);
        return p;
    }();
    return pattern;
}

template <class Body>
http::response<Body> make_response(unsigned status, const Request& request, bool keep_alive) {
    http::response<Body> res;
    res.version(request.version() == 10 ? 10 : 11);
    res.result(status);
    res.set(http::field::server, kServerName);
    res.keep_alive(keep_alive);
    return res;
}

template <class Stream>
net::awaitable<error_code> write_raw(Stream& stream, std::string_view bytes) {
    auto [ec, n] = co_await net::async_write(stream, net::buffer(bytes.data(), bytes.size()), use_tuple);
    co_return ec;
}

template <class Stream, class Body>
net::awaitable<error_code> write_header_only(Stream& stream, http::response<Body>& res) {
    http::response_serializer<Body> serializer{res};
    auto [ec, n] = co_await http::async_write_header(stream, serializer, use_tuple);
    co_return ec;
}

// A complete string response; HEAD gets the same header without the body.
template <class Stream>
net::awaitable<error_code> write_text(Stream& stream, const Request& request, bool keep_alive, unsigned status,
                                      std::string body, std::string_view content_type = "text/plain") {
    auto res = make_response<http::string_body>(status, request, keep_alive);
    if (!body.empty()) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    if (request.method() == http::verb::head) co_return co_await write_header_only(stream, res);
    auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
    co_return ec;
}

template <class Stream>
net::awaitable<error_code> write_bytes(Stream& stream, const Request& request, bool keep_alive, std::uint64_t size) {
    auto res = make_response<http::empty_body>(200, request, keep_alive);
    res.set(http::field::content_type, "application/octet-stream");
    res.content_length(size);
    if (auto ec = co_await write_header_only(stream, res); ec || request.method() == http::verb::head) co_return ec;
    const Pattern& pattern = body_pattern();
    for (std::uint64_t left = size; left > 0;) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, pattern.size()));
        if (auto ec = co_await write_raw(stream, std::string_view(pattern.data(), n))) co_return ec;
        left -= n;
    }
    co_return error_code{};
}

// At least four chunks when size >= 4, each at most 16 KiB.
template <class Stream>
net::awaitable<error_code> write_chunked(Stream& stream, const Request& request, bool keep_alive, std::uint64_t size) {
    auto res = make_response<http::empty_body>(200, request, keep_alive);
    res.set(http::field::content_type, "application/octet-stream");
    res.chunked(true);
    if (auto ec = co_await write_header_only(stream, res); ec || request.method() == http::verb::head) co_return ec;
    constexpr std::uint64_t kMaxChunk = 16 * 1024;
    const std::uint64_t chunk = std::clamp<std::uint64_t>((size + 3) / 4, 1, kMaxChunk);
    const char* data = body_pattern().data();
    for (std::uint64_t left = size; left > 0;) {
        const auto n = static_cast<std::size_t>(std::min(left, chunk));
        auto [ec, written] = co_await net::async_write(stream, http::make_chunk(net::buffer(data, n)), use_tuple);
        if (ec) co_return ec;
        left -= n;
    }
    auto [ec, written] = co_await net::async_write(stream, http::make_chunk_last(), use_tuple);
    co_return ec;
}

std::string echo_json(const Request& request) {
    auto text = [](auto view) { return boost::json::string(view.data(), view.size()); };
    boost::json::object headers;
    for (const auto& field : request) {
        auto& slot = headers[text(field.name_string())];
        // A repeated header folds into one comma-separated value (RFC 9110 §5.3).
        if (slot.is_string()) {
            slot.as_string().append(", ");
            slot.as_string().append(text(field.value()));
        } else {
            slot = text(field.value());
        }
    }
    boost::json::object echo;
    echo["method"] = text(request.method_string());
    echo["target"] = text(request.target());
    echo["version"] = request.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
    echo["headers"] = std::move(headers);
    echo["body"] = text(std::string_view(request.body()));
    return boost::json::serialize(echo) + "\n";
}

template <class Stream>
net::awaitable<error_code> write_api(Stream& stream, const Request& request, bool keep_alive, RouteKind kind) {
    const auto api = api_response(kind, std::string_view(request.method_string()),
                                  std::string_view(request[http::field::authorization]), request.body());
    auto res = make_response<http::string_body>(api.status, request, keep_alive);
    res.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : api.headers) res.set(name, value);
    res.body() = api.body;
    res.prepare_payload();
    if (request.method() == http::verb::head) co_return co_await write_header_only(stream, res);
    auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
    co_return ec;
}

}  // namespace

template <class Stream>
net::awaitable<error_code> respond(Stream& stream, const RoutePlan& plan, const Request& request, bool keep_alive) {
    const bool prebuilt = request.version() == 11 && keep_alive && request.method() != http::verb::head;
    switch (plan.kind) {
    case RouteKind::ok:
        if (prebuilt) co_return co_await write_raw(stream, kOkResponse);
        co_return co_await write_text(stream, request, keep_alive, 200, "ok\n");
    case RouteKind::injected_error:
        if (prebuilt) co_return co_await write_raw(stream, kInjectedErrorResponse);
        co_return co_await write_text(stream, request, keep_alive, 500, "injected error\n");
    case RouteKind::status: {
        const bool bodyless = plan.status < 200 || plan.status == 204 || plan.status == 304;
        std::string body = bodyless ? std::string() : std::to_string(plan.status) + "\n";
        co_return co_await write_text(stream, request, keep_alive, plan.status, std::move(body));
    }
    case RouteKind::bytes:
        co_return co_await write_bytes(stream, request, keep_alive, plan.size_bytes);
    case RouteKind::chunked:
        co_return co_await write_chunked(stream, request, keep_alive, plan.size_bytes);
    case RouteKind::echo:
        co_return co_await write_text(stream, request, keep_alive, 200, echo_json(request), "application/json");
    case RouteKind::bad_request:
        co_return co_await write_text(stream, request, keep_alive, plan.status, std::string(plan.message));
    case RouteKind::login:
    case RouteKind::cart:
    case RouteKind::items:
        co_return co_await write_api(stream, request, keep_alive, plan.kind);
    case RouteKind::close:
        break;
    }
    co_return make_error_code(boost::system::errc::invalid_argument);
}

template <class Stream>
net::awaitable<error_code> write_reply(Stream& stream, const Reply& reply, const Request& request, bool keep_alive) {
    auto res = make_response<http::string_body>(reply.status, request, keep_alive);
    if (!reply.body.empty()) res.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) res.insert(name, value);
    res.body() = reply.body;
    // 1xx, 204 and 304 carry no Content-Length (RFC 9110 §8.6); the serializer sends none.
    const bool bodyless = reply.status < 200 || reply.status == 204 || reply.status == 304;
    if (!bodyless) res.prepare_payload();
    if (request.method() == http::verb::head) co_return co_await write_header_only(stream, res);
    auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
    co_return ec;
}

template net::awaitable<error_code> write_reply(net::ip::tcp::socket&, const Reply&, const Request&, bool);
template net::awaitable<error_code> write_reply(net::ssl::stream<net::ip::tcp::socket>&, const Reply&, const Request&,
                                                bool);

template net::awaitable<error_code> respond(net::ip::tcp::socket&, const RoutePlan&, const Request&, bool);
template net::awaitable<error_code> respond(net::ssl::stream<net::ip::tcp::socket>&, const RoutePlan&,
                                            const Request&, bool);

}  // namespace faultline::demo
