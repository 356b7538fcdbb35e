#pragma once
// The frontend's decisions that need no state: authentication, the address of the backend,
// and the answer when the backend could not give one. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "examples/demo_target/reply.hpp"
#include "examples/demo_target/stale_cache.hpp"

namespace faultline::demo {

// True if `expected` is empty (no --api-key), or the request sent it as "X-API-Key: KEY" or
// "Authorization: Bearer KEY".
bool api_key_accepted(std::string_view expected, std::string_view x_api_key, std::string_view authorization) noexcept;

// 401 {"error":...} with WWW-Authenticate: Bearer.
Reply unauthorized_reply();
// 429 {"error":...} with Retry-After: seconds.
Reply rate_limited_reply(std::uint64_t retry_after_seconds);

struct HostPort {
    std::string host;  // without brackets for IPv6
    std::uint16_t port = 0;
};
// "HOST:PORT" or "[V6]:PORT"; nothing if malformed or the port is not 1-65535.
std::optional<HostPort> parse_host_port(std::string_view text);

// Why the frontend has no fresh answer from the backend, in the order they are checked.
enum class Failure {
    bulkhead_full,  // --bulkhead calls already in flight
    breaker_open,   // the breaker rejected the call (open, or half-open with the probe out)
    timeout,        // no complete response within --backend-timeout
    unreachable,    // connect failed, connection reset or closed, malformed response
    backend_error,  // the backend answered 5xx
};

const char* to_string(Failure failure) noexcept;

// The answer for `failure`: a stale copy when there is one (200, X-Served-By: stale-cache,
// Age, Warning: 110), else 503 (bulkhead_full with X-Bulkhead: full, breaker_open with
// X-Breaker: open), 504 (timeout) or 502. `backend_status` is the last 5xx seen, if any.
Reply failure_reply(Failure failure, const std::optional<CachedValue>& stale, unsigned backend_status = 0);

}  // namespace faultline::demo
