#include "examples/demo_target/session.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <optional>

#include "common/clock.hpp"
#include "examples/demo_target/request_handler.hpp"
#include "examples/demo_target/responders.hpp"

namespace faultline::demo {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using boost::beast::error_code;
using net::ip::tcp;
using TlsStream = ssl::stream<tcp::socket>;

namespace {

constexpr std::uint64_t kMaxRequestBodyBytes = 8 << 20;
constexpr std::chrono::seconds kTlsShutdownTimeout{1};

// While waiting for a request, a total cancellation (graceful stop) reaches the read as
// terminal: Beast's composed reads only act on terminal, and nothing is lost by abandoning
// the read, since the connection closes anyway.
net::awaitable<void> accept_total_cancellation() {
    co_await net::this_coro::reset_cancellation_state(
        net::enable_total_cancellation(), [](net::cancellation_type type) {
            return type != net::cancellation_type::none ? net::cancellation_type::terminal : type;
        });
}

// The answer to a request that could not be read, or nothing when the peer just went away.
std::optional<RoutePlan> plan_for_read_error(const error_code& ec) {
    if (ec == http::error::body_limit)
        return bad_request_plan(413, "request body over 8MiB\n");
    if (ec == http::error::header_limit)
        return bad_request_plan(431, "request header over 8KiB\n");
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return std::nullopt;
    if (&ec.category() == &make_error_code(http::error::bad_target).category())
        return bad_request_plan(400, "malformed HTTP request\n");
    return std::nullopt;
}

void close_now(tcp::socket& socket) {
    error_code ignored;
    socket.close(ignored);
}
void close_now(TlsStream& stream) { close_now(stream.next_layer()); }

// Sends FIN after the last response so the client reads a clean end of stream.
net::awaitable<void> graceful_close(tcp::socket& socket) {
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    close_now(socket);
    co_return;
}

// Sends close_notify; a client that never answers it costs at most kTlsShutdownTimeout.
// Skipped once the session has been cancelled: shutdown then closes at once.
net::awaitable<void> graceful_close(TlsStream& stream) {
    using namespace net::experimental::awaitable_operators;
    const auto state = co_await net::this_coro::cancellation_state;
    if (state.cancelled() == net::cancellation_type::none) {
        net::steady_timer timer(stream.get_executor(), kTlsShutdownTimeout);
        co_await (stream.async_shutdown(use_tuple) || timer.async_wait(use_tuple));
    }
    close_now(stream);
}

// Waits out the injected latency and route delay. False if cancelled meanwhile.
net::awaitable<bool> wait_for(net::steady_timer& timer, std::chrono::nanoseconds delay) {
    if (delay <= std::chrono::nanoseconds::zero()) co_return true;
    timer.expires_after(delay);
    auto [ec] = co_await timer.async_wait(use_tuple);
    co_return !ec;
}

// Reads one request, answering "Expect: 100-continue" so that clients such as curl send
// their body without first waiting a second for it.
template <class Stream>
net::awaitable<error_code> read_request(Stream& stream, boost::beast::flat_buffer& buffer,
                                        http::request_parser<http::string_body>& parser) {
    if (auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple); ec) co_return ec;
    if (parser.is_done()) co_return error_code{};
    if (boost::beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [ec, n] = co_await net::async_write(stream, net::buffer(kContinue.data(), kContinue.size()), use_tuple);
        if (ec) co_return ec;
    }
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    co_return ec;
}

template <class Stream>
net::awaitable<void> serve(Stream& stream, const SessionContext& ctx, std::uint64_t connection_id) {
    boost::beast::flat_buffer buffer;
    ResponseFaults faults(ctx.faults, connection_id, ctx.stall);
    net::steady_timer timer(stream.get_executor());
    std::optional<http::request_parser<http::string_body>> parser;
    for (;;) {
        co_await accept_total_cancellation();
        if (ctx.stopping->load(std::memory_order_relaxed)) break;
        parser.emplace();
        parser->body_limit(kMaxRequestBodyBytes);
        if (auto ec = co_await read_request(stream, buffer, *parser); ec) {
            if (auto plan = plan_for_read_error(ec)) co_await respond(stream, *plan, parser->get(), false);
            break;
        }
        // From here on only terminal cancellation interrupts: a started response is finished.
        co_await net::this_coro::reset_cancellation_state(net::enable_terminal_cancellation());
        const Request& request = parser->get();
        if (ctx.handler != nullptr) {
            const Reply reply = co_await ctx.handler->handle(request, faults);
            const auto state = co_await net::this_coro::cancellation_state;
            if (state.cancelled() != net::cancellation_type::none) co_return;
            const bool keep_alive = request.keep_alive() && !ctx.stopping->load(std::memory_order_relaxed);
            if (auto ec = co_await write_reply(stream, reply, request, keep_alive)) co_return;
            if (!keep_alive) break;
            continue;
        }
        RoutePlan plan = plan_route(std::string_view(request.target()));
        if (plan.inject_faults) faults.note_request(SteadyClock::instance().now());
        const auto delay = plan.inject_faults ? faults.next_delay() : std::chrono::nanoseconds::zero();
        if (!co_await wait_for(timer, delay + plan.extra_delay)) co_return;
        if (plan.inject_faults && !co_await wait_for(timer, faults.stall_hold(SteadyClock::instance().now()))) co_return;
        if (plan.inject_faults && faults.next_error()) plan.kind = RouteKind::injected_error;
        if (plan.kind == RouteKind::close) {
            close_now(stream);
            co_return;
        }
        const bool keep_alive = request.keep_alive() && !ctx.stopping->load(std::memory_order_relaxed);
        if (auto ec = co_await respond(stream, plan, request, keep_alive)) co_return;
        if (!keep_alive) break;
    }
    co_await graceful_close(stream);
}

}  // namespace

net::awaitable<void> run_session(tcp::socket socket, const SessionContext& ctx, std::uint64_t connection_id) {
    // Cancellation shows up as operation_aborted results, never as an exception.
    co_await net::this_coro::throw_if_cancelled(false);
    co_await accept_total_cancellation();
    if (ctx.tls == nullptr) {
        co_await serve(socket, ctx, connection_id);
        co_return;
    }
    TlsStream stream(std::move(socket), *ctx.tls);
    if (auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, use_tuple); ec) co_return;
    co_await serve(stream, ctx, connection_id);
}

}  // namespace faultline::demo
