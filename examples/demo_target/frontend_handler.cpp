#include "examples/demo_target/frontend_handler.hpp"

#include <boost/json/serialize.hpp>

#include "examples/demo_target/kv_api.hpp"

namespace faultline::demo {

namespace net = boost::asio;
namespace http = boost::beast::http;

namespace {

Reply text_reply(unsigned status, std::string text) { return Reply{status, std::move(text), "text/plain", {}}; }

std::optional<Failure> failure_of(const BackendResult& result) {
    switch (result.error) {
    case BackendResult::Error::none: return result.status >= 500 ? std::optional(Failure::backend_error) : std::nullopt;
    case BackendResult::Error::timeout: return Failure::timeout;
    case BackendResult::Error::unreachable: return Failure::unreachable;
    case BackendResult::Error::cancelled: return std::nullopt;
    }
    return std::nullopt;
}

// Releases the bulkhead slot however the call ends.
class BulkheadSlot {
public:
    explicit BulkheadSlot(FrontendState& state) : state_(state), held_(state.enter_bulkhead()) {}
    ~BulkheadSlot() {
        if (held_) state_.leave_bulkhead();
    }
    BulkheadSlot(const BulkheadSlot&) = delete;
    BulkheadSlot& operator=(const BulkheadSlot&) = delete;
    bool held() const { return held_; }

private:
    FrontendState& state_;
    bool held_;
};

}  // namespace

FrontendHandler::FrontendHandler(const FrontendSettings& settings, std::unique_ptr<BackendPool> pool,
                                 const std::atomic<bool>& stopping, const Clock& clock)
    : settings_(settings), pool_(std::move(pool)), stopping_(stopping), clock_(clock), state_(settings, clock.now()) {}

net::awaitable<Reply> FrontendHandler::handle(const Request& request, ResponseFaults& /*faults*/) {
    const auto target = std::string_view(request.target());
    const auto path = target.substr(0, target.find('?'));
    const bool draining = stopping_.load(std::memory_order_relaxed);
    if (path == "/health") co_return draining ? text_reply(503, "draining\n") : text_reply(200, "ok\n");
    if (path == "/ready") {
        if (draining) co_return text_reply(503, "draining\n");
        co_return state_.breaker_admits(clock_.now()) ? text_reply(200, "ready\n") : text_reply(503, "breaker open\n");
    }
    if (path == "/stats") co_return Reply{200, boost::json::serialize(state_.stats(clock_.now())) + "\n", "application/json", {}};

    constexpr std::string_view kItems = "/items/";
    if (!path.starts_with(kItems)) co_return error_reply(404, "no such route: the frontend serves /items/KEY");
    if (!api_key_accepted(settings_.api_key, std::string_view(request["X-API-Key"]),
                          std::string_view(request[http::field::authorization]))) {
        state_.count_unauthorized();
        co_return unauthorized_reply();
    }
    if (const auto rate = state_.admit_rate(clock_.now()); !rate.allowed)
        co_return rate_limited_reply(retry_after_seconds(rate.retry_after));
    co_return co_await items(request, path.substr(kItems.size()));
}

net::awaitable<Reply> FrontendHandler::items(const Request& request, std::string_view key) {
    if (!valid_key(key)) co_return error_reply(400, "the key must be 1-256 characters of [A-Za-z0-9._~-]");
    const auto method = request.method();
    if (method != http::verb::get && method != http::verb::head && method != http::verb::put) {
        auto reply = error_reply(405, "method not allowed");
        reply.headers.emplace_back("Allow", "GET, HEAD, PUT");
        co_return reply;
    }
    co_return co_await call_backend(request, key);
}

net::awaitable<Reply> FrontendHandler::call_backend(const Request& request, std::string_view key) {
    const bool is_read = request.method() != http::verb::put;
    const auto stale = [&](Failure failure, unsigned status = 0) {
        const auto copy = is_read ? state_.stale_for(key, clock_.now()) : std::nullopt;
        return failure_reply(failure, copy, status);
    };
    state_.on_request(clock_.now());
    // One slot per client request, held across its retries: the bulkhead bounds the
    // backend calls in flight at any moment.
    const BulkheadSlot slot(state_);
    if (!slot.held()) co_return stale(Failure::bulkhead_full);

    const std::string backend_target = "/kv/" + std::string(key);
    Failure failure = Failure::unreachable;
    unsigned last_status = 0;
    for (unsigned attempt = 0;; ++attempt) {
        const BreakerPermit permit = state_.acquire_breaker(clock_.now());
        if (!permit.allowed) {
            failure = Failure::breaker_open;
            break;
        }
        // HEAD goes to the backend as GET: the frontend strips the body itself, and the
        // pool's parser need not know which responses have none.
        const auto method = request.method() == http::verb::head ? http::verb::get : request.method();
        BackendResult result = co_await pool_->call(method, backend_target, request.body(),
                                                    std::string(request[http::field::content_type]),
                                                    settings_.backend_timeout);
        const auto attempt_failure = failure_of(result);
        const bool ok = result.error == BackendResult::Error::none && !attempt_failure;
        state_.record_attempt(permit, ok, attempt_failure, clock_.now());
        if (result.error == BackendResult::Error::cancelled) co_return error_reply(503, "shutting down");
        if (ok) {
            if (is_read && result.status == 200) state_.remember(key, result.body, result.content_type, clock_.now());
            if (!is_read) state_.forget(key);  // the write made the cached copy stale in the bad sense
            Reply reply{result.status, std::move(result.body), std::move(result.content_type), {}};
            reply.headers.emplace_back("X-Served-By", "backend");
            if (attempt > 0) reply.headers.emplace_back("X-Retries", std::to_string(attempt));
            co_return reply;
        }
        failure = *attempt_failure;
        last_status = result.status;
        if (attempt >= settings_.retries || !state_.try_retry(clock_.now())) break;
    }
    co_return stale(failure, last_status);
}

}  // namespace faultline::demo
