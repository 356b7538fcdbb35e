#pragma once
// The frontend's HTTP/1.1 client for its backend (usually a faultline proxy in front of
// --mode backend): a pool of keep-alive connections to one address, and calls with a
// deadline. Runs on the server's io_context; no thread of its own.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/verb.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace faultline::demo {

struct BackendResult {
    enum class Error {
        none,         // a complete response (any status)
        timeout,      // the deadline passed first
        unreachable,  // connect failed, the connection broke, or the response was malformed
        cancelled,    // the caller's coroutine was cancelled (shutdown)
    };
    Error error = Error::none;
    unsigned status = 0;
    std::string body;
    std::string content_type;
};

class BackendPool {
public:
    // `executor` is the io_context's (not a strand): the sockets are shared by all
    // connections' coroutines, one at a time. `host` is sent as the Host header. At most
    // `max_idle` connections are kept open between calls.
    BackendPool(boost::asio::any_io_executor executor, boost::asio::ip::tcp::endpoint endpoint, std::string host,
                std::size_t max_idle);

    // One request. `timeout` covers getting a connection, writing the request and reading
    // the whole response. A pooled connection found closed by the peer is replaced once by
    // a fresh one within the same deadline (an idle keep-alive connection may be closed at
    // any time; that is not a backend failure). Never throws for I/O errors; thread-safe.
    boost::asio::awaitable<BackendResult> call(boost::beast::http::verb method, std::string target, std::string body,
                                               std::string content_type, Duration timeout);

    std::size_t idle() const;
    // Closes and drops the idle connections.
    void close_idle() noexcept;

private:
    struct InUse;  // the socket an attempt is using, so the deadline can close it
    boost::asio::awaitable<BackendResult> attempt(const void* request, InUse& in_use);
    std::unique_ptr<boost::asio::ip::tcp::socket> take_idle();
    void give_back(std::unique_ptr<boost::asio::ip::tcp::socket> socket);

    boost::asio::any_io_executor executor_;
    boost::asio::ip::tcp::endpoint endpoint_;
    std::string host_;
    std::size_t max_idle_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> idle_;
};

}  // namespace faultline::demo
