#include "examples/demo_target/frontend_policy.hpp"

#include <charconv>
#include <chrono>

namespace faultline::demo {

bool api_key_accepted(std::string_view expected, std::string_view x_api_key, std::string_view authorization) noexcept {
    if (expected.empty()) return true;
    constexpr std::string_view kBearer = "Bearer ";
    return x_api_key == expected || (authorization.starts_with(kBearer) && authorization.substr(kBearer.size()) == expected);
}

Reply unauthorized_reply() {
    auto reply = error_reply(401, "missing or wrong API key: send X-API-Key: KEY or Authorization: Bearer KEY");
    reply.headers.emplace_back("WWW-Authenticate", "Bearer");
    return reply;
}

Reply rate_limited_reply(std::uint64_t retry_after_seconds) {
    auto reply = error_reply(429, "rate limit exceeded");
    reply.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return reply;
}

std::optional<HostPort> parse_host_port(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return std::nullopt;
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return std::nullopt;  // a bare IPv6 address needs brackets
    }
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
        return std::nullopt;
    return HostPort{std::string(host), static_cast<std::uint16_t>(port)};
}

const char* to_string(Failure failure) noexcept {
    switch (failure) {
    case Failure::bulkhead_full: return "bulkhead full";
    case Failure::breaker_open: return "circuit breaker open";
    case Failure::timeout: return "backend timed out";
    case Failure::unreachable: return "backend unreachable";
    case Failure::backend_error: return "backend error";
    }
    return "?";
}

Reply failure_reply(Failure failure, const std::optional<CachedValue>& stale, unsigned backend_status) {
    if (stale) {
        Reply reply{200, stale->body, stale->content_type, {}};
        reply.headers.emplace_back("X-Served-By", "stale-cache");
        reply.headers.emplace_back("Age", std::to_string(std::chrono::floor<std::chrono::seconds>(stale->age).count()));
        reply.headers.emplace_back("Warning", "110 - \"Response is Stale\"");
        reply.headers.emplace_back("X-Stale-Reason", to_string(failure));
        return reply;
    }
    Reply reply;
    switch (failure) {
    case Failure::bulkhead_full:
        reply = error_reply(503, to_string(failure));
        reply.headers.emplace_back("X-Bulkhead", "full");
        break;
    case Failure::breaker_open:
        reply = error_reply(503, to_string(failure));
        reply.headers.emplace_back("X-Breaker", "open");
        break;
    case Failure::timeout: reply = error_reply(504, to_string(failure)); break;
    case Failure::unreachable: reply = error_reply(502, to_string(failure)); break;
    case Failure::backend_error:
        reply = error_reply(502, std::string(to_string(failure)) + " " + std::to_string(backend_status));
        break;
    }
    reply.headers.emplace_back("X-Served-By", "frontend");
    return reply;
}

}  // namespace faultline::demo
