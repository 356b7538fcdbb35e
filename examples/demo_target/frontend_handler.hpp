#pragma once
// --mode frontend: an HTTP API over the backend's key/value store with switchable
// resilience (docs/demo-system.md).
//
//   GET /health          200 "ok\n"; 503 "draining\n" once SIGTERM has started the drain
//   GET /ready           200 when /health is and the breaker (if any) is closed, else 503
//   GET /stats           the counters and breaker state as JSON
//   GET|HEAD /items/KEY  backend GET /kv/KEY through the resilience chain (below)
//   PUT /items/KEY       backend PUT /kv/KEY (body and Content-Type passed on)
//   other /items methods 405; other paths 404
//
// /items requests, in order: API key (401) -> rate limit (429) -> bulkhead (503) -> breaker
// (503) -> backend call with --backend-timeout per attempt -> retries within the budget ->
// on failure a stale copy (GET, --stale-cache) or 502/503/504.
#include <atomic>
#include <memory>

#include "common/clock.hpp"
#include "examples/demo_target/backend_client.hpp"
#include "examples/demo_target/frontend_settings.hpp"
#include "examples/demo_target/frontend_state.hpp"
#include "examples/demo_target/request_handler.hpp"

namespace faultline::demo {

class FrontendHandler final : public RequestHandler {
public:
    // `stopping` is the server's drain flag; `clock` is read once per decision.
    FrontendHandler(const FrontendSettings& settings, std::unique_ptr<BackendPool> pool,
                    const std::atomic<bool>& stopping, const Clock& clock);

    boost::asio::awaitable<Reply> handle(const Request& request, ResponseFaults& faults) override;
    void release_io() noexcept override { pool_->close_idle(); }

private:
    boost::asio::awaitable<Reply> items(const Request& request, std::string_view key);
    boost::asio::awaitable<Reply> call_backend(const Request& request, std::string_view key);

    FrontendSettings settings_;
    std::unique_ptr<BackendPool> pool_;
    const std::atomic<bool>& stopping_;
    const Clock& clock_;
    FrontendState state_;
};

}  // namespace faultline::demo
