#pragma once
// One connection of the demo target, from accept to close, as a coroutine.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>

#include "examples/demo_target/faults.hpp"

namespace boost::asio::ssl {
class context;
}

namespace faultline::demo {

class RequestHandler;

struct SessionContext {
    FaultSettings faults;
    RequestHandler* handler = nullptr;             // null: the target mode's routes (routes.hpp)
    const std::atomic<bool>* stopping = nullptr;   // set once shutdown has begun
    boost::asio::ssl::context* tls = nullptr;      // null: plain HTTP
    StallWindow* stall = nullptr;                  // the server's --stall-at/--stall-for window; null: none
};

// Serves HTTP/1.1 requests on `socket` (after a TLS handshake when ctx.tls is set) until the
// client closes, asks to close, or the connection is cancelled. Cancellation: `total` ends
// the wait for the next request (a response in progress is finished first, and says
// "Connection: close"); `terminal` stops at once. `connection_id` picks the connection's
// stream of fault draws. I/O errors end the connection quietly; nothing is thrown for them.
boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, const SessionContext& ctx,
                                         std::uint64_t connection_id);

}  // namespace faultline::demo
