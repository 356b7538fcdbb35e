#pragma once
// The admin API on HTTP/1.1 (Beast, coroutines, keep-alive) in front of Api. Runs on the
// registry's executor; stop() closes the listener and every session.
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>

#include "faults/api.hpp"

namespace faultline::faults {

class ApiServer {
public:
    ApiServer(net::any_io_executor executor, ProxyRegistry& registry);
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
