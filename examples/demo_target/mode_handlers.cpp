#include "examples/demo_target/mode_handlers.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <stdexcept>

#include "examples/demo_target/backend_handler.hpp"
#include "examples/demo_target/frontend_handler.hpp"
#include "examples/demo_target/frontend_policy.hpp"

namespace faultline::demo {

namespace net = boost::asio;
using net::ip::tcp;

namespace {

// The pool keeps at most this many idle connections without --bulkhead (with it, the
// bulkhead size: more could never be in use at once).
constexpr std::size_t kMaxIdleBackendConnections = 256;

std::unique_ptr<BackendPool> make_pool(const FrontendSettings& settings, net::io_context& ioc) {
    const auto address = parse_host_port(settings.backend);
    if (!address) throw std::runtime_error("--backend: '" + settings.backend + "' is not HOST:PORT");
    tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    const auto results = resolver.resolve(address->host, std::to_string(address->port), ec);
    if (ec || results.empty())
        throw std::runtime_error("--backend: cannot resolve '" + address->host + "': " + ec.message());
    const std::size_t max_idle = settings.bulkhead > 0 ? settings.bulkhead : kMaxIdleBackendConnections;
    return std::make_unique<BackendPool>(ioc.get_executor(), results.begin()->endpoint(), settings.backend, max_idle);
}

}  // namespace

std::unique_ptr<RequestHandler> make_mode_handler(const DemoOptions& options, net::io_context& ioc,
                                                  const std::atomic<bool>& stopping) {
    switch (options.mode) {
    case Mode::target: return nullptr;
    case Mode::backend: return std::make_unique<BackendHandler>();
    case Mode::frontend:
        return std::make_unique<FrontendHandler>(options.frontend, make_pool(options.frontend, ioc), stopping,
                                                 SteadyClock::instance());
    }
    return nullptr;
}

}  // namespace faultline::demo
