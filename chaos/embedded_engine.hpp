#pragma once
// The embedded proxy engine: a faults::ProxyRegistry and its Toxiproxy API on a thread of
// their own (the proxied traffic needs it), driven through the same REST calls as an
// external server so both behave the same.
#include <atomic>
#include <memory>

#include "chaos/api_transport.hpp"
#include "chaos/io_thread.hpp"
#include "faults/api.hpp"

namespace faultline::chaos {

class EmbeddedEngine final : public ApiTransport {
public:
    explicit EmbeddedEngine(std::uint64_t seed);
    ~EmbeddedEngine() override;  // stop()

    // Runs the call on the engine thread. Throws TransportError after stop().
    ApiResponse call(const ApiCall& call) override;
    std::string describe() const override { return "embedded proxy"; }
    std::string connect_host() const override { return "127.0.0.1"; }

    // Closes every proxy and connection and joins the thread. Idempotent.
    void stop();

private:
    IoThread thread_;
    std::unique_ptr<faults::ProxyRegistry> registry_;  // used on thread_ only
    std::unique_ptr<faults::Api> api_;
    std::atomic<bool> stopped_{false};
};

}  // namespace faultline::chaos
