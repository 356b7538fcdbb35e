#pragma once
// The admin API on HTTP/1.1 (Beast, coroutines, keep-alive) in front of Api. Runs on the
// registry's executor; stop() closes the listener and every session.
//
// Hardening (docs/reliability.md): with a token set, every request without
// "Authorization: Bearer <token>" gets 401 and the connection is closed; a body larger than
// max_body_bytes gets 413 (checked from Content-Length before reading, and while reading a
// chunked body); a head larger than 64 KiB, or any unparsable request, closes the connection.
// An accept that fails for lack of descriptors pauses the accept loop instead of spinning.
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "faults/api.hpp"

namespace faultline::faults {

struct ApiServerOptions {
    std::string token;                        // empty: no authentication (loopback use)
    std::size_t max_body_bytes = 1024 * 1024; // request bodies above this get 413
};

class ApiServer {
public:
    ApiServer(net::any_io_executor executor, ProxyRegistry& registry, ApiServerOptions options = {});
    ~ApiServer();

    // Binds host:port ("localhost" = 127.0.0.1); "" on success, else the error text.
    std::string listen(const std::string& host, unsigned short port);
    net::ip::tcp::endpoint local_endpoint() const;
    void stop();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace faultline::faults
