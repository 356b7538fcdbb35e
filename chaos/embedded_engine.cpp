#include "chaos/embedded_engine.hpp"

#include "faults/sleep_clock.hpp"

namespace faultline::chaos {

EmbeddedEngine::EmbeddedEngine(std::uint64_t seed) {
    thread_.run_sync([&] {
        registry_ = std::make_unique<faults::ProxyRegistry>(thread_.context().get_executor(),
                                                            faults::SteadySleepClock::instance(), seed);
        api_ = std::make_unique<faults::Api>(*registry_);
    });
}

EmbeddedEngine::~EmbeddedEngine() { stop(); }

ApiResponse EmbeddedEngine::call(const ApiCall& call) {
    if (stopped_) throw TransportError("embedded proxy: already stopped");
    return thread_.run_sync([&] {
        auto reply = api_->handle(faults::ApiRequest{call.method, call.path, call.body, "faultline"});
        return ApiResponse{reply.status, std::move(reply.body)};
    });
}

void EmbeddedEngine::stop() {
    if (stopped_.exchange(true)) return;
    // The registry is single-threaded: it is closed and destroyed on its own thread, then the
    // loop gets to finish the connections' coroutines before it is joined.
    thread_.run_sync([&] {
        api_.reset();
        registry_.reset();
    });
    thread_.stop();
}

}  // namespace faultline::chaos
