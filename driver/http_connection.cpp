#include "driver/http_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

namespace faultline {
namespace net = boost::asio;
using net::ip::tcp;

namespace {

constexpr std::size_t kReadBufferBytes = 16 * 1024;
constexpr auto kAwait = net::as_tuple(net::use_awaitable);
// A request sent within this time of the read that completed the previous response (and
// left the socket empty) skips the idle-bytes check: that read was the check, and a server
// that answers nothing has had no time to. Beyond it the connection counts as idle.
constexpr auto kJustDrained = std::chrono::microseconds(100);

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    net::ip::make_address(host, ec);
    return !ec;
}

}  // namespace

HttpConnection::HttpConnection(WorkerShared& shared, const HostTarget& target)
    : shared_(shared),
      target_(target),
      socket_(shared.io),
      parser_(HttpLimits{shared.http.max_header_bytes, shared.http.max_body_bytes}),
      read_buffer_(new char[kReadBufferBytes]) {}

tcp::socket& HttpConnection::lowest_layer() noexcept { return tls_stream_ ? tls_stream_->next_layer() : socket_; }

void HttpConnection::check_deadline(Clock_tp now) noexcept {
    if (busy_ && phase_ != Phase::idle && now >= deadline_ && !timed_out_) {
        timed_out_ = true;
        boost::system::error_code ignored;
        lowest_layer().cancel(ignored);
    }
}

void HttpConnection::expire_now() noexcept {
    deadline_ = Clock_tp::min();
    check_deadline(shared_.clock.now());
}

void HttpConnection::close() noexcept {
    boost::system::error_code ignored;
    lowest_layer().close(ignored);
    tls_stream_.reset();
    open_ = false;
}

net::awaitable<HttpConnection::Attempt> HttpConnection::connect() {
    Attempt a;
    phase_ = Phase::connecting;
    socket_ = tcp::socket(shared_.io);
    // Connecting has its own, possibly shorter, limit inside the request's timeout.
    const Clock_tp request_deadline = deadline_;
    deadline_ = std::min(deadline_, shared_.clock.now() + shared_.connect_timeout);
    auto [ec, endpoint] = co_await net::async_connect(socket_, target_.endpoints, kAwait);
    if (ec) {
        a.outcome = timed_out_ ? Outcome::connect_timeout : Outcome::connect_refused;
        a.error = fmt::format("connect to {}:{}: {}", target_.url.host, target_.url.port,
                              timed_out_ ? "timed out" : ec.message());
        co_return a;
    }
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    socket_.non_blocking(true, ignored);
    if (target_.tls) {
        tls_stream_.emplace(std::move(socket_), *target_.tls);
        const auto& host = target_.url.host;
        if (!is_ip_literal(host)) SSL_set_tlsext_host_name(tls_stream_->native_handle(), host.c_str());
        if (!shared_.http.insecure) tls_stream_->set_verify_callback(net::ssl::host_name_verification(host));
        auto [hec] = co_await tls_stream_->async_handshake(net::ssl::stream_base::client, kAwait);
        if (hec) {
            a.outcome = timed_out_ ? Outcome::connect_timeout : Outcome::tls;
            a.error = timed_out_ ? std::string("TLS handshake timed out") : fmt::format("TLS handshake: {}", hec.message());
            close();
            co_return a;
        }
    }
    deadline_ = request_deadline;
    open_ = true;
    co_return a;
}

std::size_t HttpConnection::write_now(tcp::socket& socket, boost::system::error_code& ec) noexcept {
    // Most requests fit the socket buffer: one write_some, no suspension and no coroutine
    // frame. Would-block is not an error: the rest goes out asynchronously.
    const std::size_t written = socket.write_some(net::buffer(request_), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
        ec = {};
        return 0;
    }
    return ec ? 0 : written;
}

template <class Stream>
net::awaitable<boost::system::error_code> HttpConnection::write_rest(Stream& stream, std::size_t written) {
    auto [ec, n] = co_await net::async_write(stream, net::buffer(request_.data() + written, request_.size() - written), kAwait);
    co_return ec;
}

HttpConnection::Attempt HttpConnection::classify_read_error(const boost::system::error_code& ec, bool reused) {
    Attempt a;
    if (timed_out_) {
        a.outcome = Outcome::timeout;
        a.error = "no complete response within the timeout";
        return a;
    }
    const bool closed = ec == net::error::eof || ec == net::ssl::error::stream_truncated;
    const bool reset = ec == net::error::connection_reset || ec == net::error::broken_pipe;
    if ((closed || reset) && !parser_.started()) {
        // A kept-alive connection the server closed while idle: resend on a new one.
        a.retry_on_new_connection = reused;
        a.outcome = Outcome::reset;
        a.error = closed ? "connection closed by the peer before any response" : "connection reset by the peer";
        return a;
    }
    if (closed) {
        if (parser_.finish_eof() == ParseStatus::complete) {
            if (capture_) capture_->head.resize(std::min(capture_->head.size(), parser_.header_bytes()));
            a.status = parser_.status_code();
            a.outcome = outcome_for_status(a.status);
            return a;
        }
        a.outcome = Outcome::protocol;
        a.error = fmt::format("response truncated: {}", to_string(parser_.error()));
        return a;
    }
    if (reset) {
        a.outcome = Outcome::reset;
        a.error = "connection reset by the peer during the response";
        return a;
    }
    if (ec.category() == net::error::get_ssl_category()) {
        a.outcome = Outcome::tls;
        a.error = fmt::format("TLS: {}", ec.message());
        return a;
    }
    a.outcome = Outcome::reset;
    a.error = ec.message();
    return a;
}

template <class Stream>
net::awaitable<HttpConnection::Attempt> HttpConnection::exchange(Stream& stream, bool reused,
                                                                  bool drained_just_now) {
    phase_ = Phase::exchanging;
    parser_.reset(head_request_);
    if (capture_) {
        capture_->head.clear();
        capture_->body.clear();
        parser_.capture_body(&capture_->body);
    }
    Attempt a;
    drained_ = false;
    if (reused && !drained_just_now && unsolicited_bytes_waiting()) {
        // The server sent something while the connection was idle: a response to nothing.
        a.outcome = Outcome::protocol;
        a.error = "unsolicited response on an idle connection";
        close();
        co_return a;
    }
    boost::system::error_code write_ec;
    std::size_t written = 0;
    if constexpr (std::is_same_v<Stream, tcp::socket>) written = write_now(stream, write_ec);
    if (!write_ec && written < request_.size()) write_ec = co_await write_rest(stream, written);
    if (write_ec) {
        const bool stale = write_ec == net::error::broken_pipe || write_ec == net::error::connection_reset;
        a.outcome = timed_out_ ? Outcome::timeout : Outcome::reset;
        a.retry_on_new_connection = !timed_out_ && stale && reused;
        a.error = timed_out_ ? std::string("request write timed out") : fmt::format("write: {}", write_ec.message());
        co_return a;
    }
    for (;;) {
        auto [ec, n] = co_await stream.async_read_some(net::buffer(read_buffer_.get(), kReadBufferBytes), kAwait);
        if (ec) {
            a = classify_read_error(ec, reused);
            close();
            break;
        }
        std::size_t consumed = 0;
        if (capture_ && !parser_.headers_done()) capture_head_bytes(read_buffer_.get(), n);
        const auto st = parser_.feed(read_buffer_.get(), n, consumed);
        if (st == ParseStatus::need_more) continue;
        if (st == ParseStatus::error) {
            close();
            a.outcome = Outcome::protocol;
            a.error = fmt::format("bad response: {}", to_string(parser_.error()));
            break;
        }
        // The head was captured with whatever body bytes shared its reads: cut it to size.
        if (capture_) capture_->head.resize(std::min(capture_->head.size(), parser_.header_bytes()));
        a.status = parser_.status_code();
        a.outcome = outcome_for_status(a.status);
        // Bytes after a complete response were not asked for (one request at a time, no
        // pipelining): the server answered something it was not asked, or framed the body
        // wrongly, so neither this response nor the connection can be trusted. After a 101
        // the connection speaks another protocol and its bytes are not HTTP's business.
        if (consumed != n && a.status != 101) {
            a.outcome = Outcome::protocol;
            a.error = "unsolicited bytes after the response";
            a.status = 0;
            close();
            break;
        }
        if (!parser_.keep_alive()) close();
        else drained_ = n < kReadBufferBytes;
        break;
    }
    co_return a;
}

bool HttpConnection::unsolicited_bytes_waiting() noexcept {
    // Only plain TCP: under TLS the raw bytes may be records the client must read anyway
    // (TLS 1.3 session tickets, close_notify). A FIN is not data, so an idle close still
    // takes the resend-once path.
    if (tls_stream_) return false;
    boost::system::error_code ec;
    const std::size_t waiting = socket_.available(ec);
    return !ec && waiting > 0;
}

void HttpConnection::capture_head_bytes(const char* data, std::size_t n) {
    // The parser caps the head at max_header_bytes; stop copying beyond that too.
    const std::size_t room = shared_.http.max_header_bytes + 2 - std::min(capture_->head.size(), shared_.http.max_header_bytes + 2);
    capture_->head.append(data, std::min(n, room));
}

net::awaitable<ExchangeResult> HttpConnection::execute(std::string_view request, bool head_request,
                                                       ResponseCapture* capture) {
    const Clock& clock = shared_.clock;
    request_ = request;
    head_request_ = head_request;
    capture_ = capture;
    busy_ = true;
    timed_out_ = false;
    const Clock_tp start = clock.now();
    deadline_ = start + shared_.http.timeout;
    Clock_tp sent = start;
    Attempt a;
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = open_;
        if (!open_) {
            a = co_await connect();
            if (a.outcome != Outcome::success) break;
        }
        if (!reused) sent = clock.now();
        const bool drained_just_now = reused && drained_ && sent - drained_at_ < kJustDrained;
        if (tls_stream_) a = co_await exchange(*tls_stream_, reused, drained_just_now);
        else a = co_await exchange(socket_, reused, drained_just_now);
        if (!a.retry_on_new_connection || timed_out_) break;
        close();
    }
    const Clock_tp done = clock.now();
    drained_at_ = done;
    // After a failure without a response (or a cancelled operation) the stream's state is
    // unknown: the next request starts on a new connection.
    if (timed_out_ || (a.status == 0 && a.outcome != Outcome::success)) close();
    phase_ = Phase::idle;
    deadline_ = Clock_tp::max();
    busy_ = false;
    capture_ = nullptr;
    ExchangeResult r{a.outcome, a.status, a.status > 0 ? sent : done, done, {}};
    if (a.status == 0 && a.outcome != Outcome::success) {
        last_error_ = std::move(a.error);
        r.error = last_error_;
    }
    co_return r;
}

}  // namespace faultline
