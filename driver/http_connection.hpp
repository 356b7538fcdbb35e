#pragma once
// One keep-alive HTTP/1.1 client connection (plain TCP or TLS) to one origin that runs
// requests one at a time and says how each ended; the caller records it.
//
// Timeouts: the connection keeps a deadline; the worker's periodic tick calls
// check_deadline(), which cancels the socket's pending operation when it has passed. This
// replaces a timer per request (measured: a per-request expires_after costs more than the
// rest of the request path).
//
// Hot path: the request bytes are shared and never copied, the read buffer and the parser
// are allocated once per connection, and a plain socket tries a non-blocking write before
// suspending.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <optional>
#include <string>

#include "driver/host_target.hpp"
#include "driver/http_response_parser.hpp"
#include "driver/worker_shared.hpp"
#include "reports/outcome.hpp"

namespace faultline {

// How one request ended on a connection.
struct ExchangeResult {
    Outcome outcome = Outcome::success;  // by status alone (2xx/3xx success); checks come later
    int status = 0;                      // 0: no HTTP response
    Clock_tp sent{};                     // first byte written (== done when never sent)
    Clock_tp done{};
    std::string_view error;              // why, when there was no response; valid until the next request
};

// Where a request's response is kept for checks and extractions (nullptr: count only).
struct ResponseCapture {
    std::string head;  // raw head bytes, interim 1xx heads included
    std::string body;  // decoded body
};

class HttpConnection {
public:
    HttpConnection(WorkerShared& shared, const HostTarget& target);
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Sends `request` (connecting first when needed) and reads the response. Never throws
    // for request failures: they become outcome classes.
    boost::asio::awaitable<ExchangeResult> execute(std::string_view request, bool head_request,
                                                   ResponseCapture* capture);

    // Called by the worker's tick: aborts the operation in progress once its deadline passed.
    void check_deadline(Clock_tp now) noexcept;
    // Aborts the request in progress now; it is recorded as a timeout (end-of-run drain).
    void expire_now() noexcept;
    void close() noexcept;
    bool busy() const noexcept { return busy_; }

private:
    enum class Phase { idle, connecting, exchanging };
    struct Attempt {
        Outcome outcome = Outcome::success;
        int status = 0;
        bool retry_on_new_connection = false;  // a reused connection the server had closed
        std::string error;                      // filled only on failure
    };

    boost::asio::awaitable<Attempt> connect();
    template <class Stream>
    boost::asio::awaitable<Attempt> exchange(Stream& stream, bool reused, bool drained_just_now);
    // Plain TCP: writes what the socket takes now; the caller sends the rest with write_rest.
    std::size_t write_now(boost::asio::ip::tcp::socket& socket, boost::system::error_code& ec) noexcept;
    template <class Stream>
    boost::asio::awaitable<boost::system::error_code> write_rest(Stream& stream, std::size_t written);
    void capture_head_bytes(const char* data, std::size_t n);
    // Bytes arrived on a kept-alive plain-TCP connection before its next request was sent.
    bool unsolicited_bytes_waiting() noexcept;
    Attempt classify_read_error(const boost::system::error_code& ec, bool reused);
    boost::asio::ip::tcp::socket& lowest_layer() noexcept;

    WorkerShared& shared_;
    const HostTarget& target_;
    std::string_view request_;
    bool head_request_ = false;
    ResponseCapture* capture_ = nullptr;
    std::string last_error_;
    boost::asio::ip::tcp::socket socket_;
    std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_stream_;
    HttpResponseParser parser_;
    std::unique_ptr<char[]> read_buffer_;
    bool open_ = false;
    bool busy_ = false;
    bool timed_out_ = false;
    Phase phase_ = Phase::idle;
    Clock_tp deadline_ = Clock_tp::max();
    // When the last response completed with a read that left the socket empty (less than a
    // full buffer). A request sent right after that needs no separate idle-bytes check.
    bool drained_ = false;
    Clock_tp drained_at_{};
};

}  // namespace faultline
