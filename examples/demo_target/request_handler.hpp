#pragma once
// The backend and frontend modes answer requests through this interface; the session
// (session.cpp) does the reading, writing, keep-alive and shutdown for every mode.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "examples/demo_target/faults.hpp"
#include "examples/demo_target/reply.hpp"

namespace faultline::demo {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

class RequestHandler {
public:
    virtual ~RequestHandler() = default;

    // Answers one request. Runs on the connection's executor and may suspend (timers,
    // backend calls). `faults` is the connection's stream of latency and error draws.
    // Cancellation: only terminal cancellation reaches it (a drain lets it finish); after
    // that the returned Reply is dropped and the connection closed. Thread-safe: called
    // concurrently from all connections.
    virtual boost::asio::awaitable<Reply> handle(const Request& request, ResponseFaults& faults) = 0;

    // Called once the io_context has stopped running, before it is destroyed: release the
    // I/O objects the handler owns (they must not outlive the io_context). The handler itself
    // outlives the io_context, because coroutine frames destroyed with it may still use it.
    virtual void release_io() noexcept {}
};

}  // namespace faultline::demo
