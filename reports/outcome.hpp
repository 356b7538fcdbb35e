#pragma once
// How one request ended. Every request ends in exactly one class; `success` is the only
// one that is not a failure. The names are the keys of `errors` in the result JSON.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace faultline {

enum class Outcome : std::uint8_t {
    success,
    connect_refused,  // the connection could not be established (refused, unreachable)
    connect_timeout,  // connecting took longer than the timeout
    timeout,          // sent, but no complete response within the timeout
    reset,            // the peer reset or closed the connection before any response byte
    protocol,         // malformed, truncated, oversized or unsolicited response
    tls,              // handshake or certificate verification failed, TLS record error
    dns,              // the host name did not resolve
    http_4xx,         // a 4xx status that nothing declared acceptable
    http_5xx,         // a 5xx status that nothing declared acceptable
    dropped,          // the arrival found every connection busy and the pending queue full
    check,            // a response failed an expectation: unexpected 1xx-3xx status, body, json, latency
};
inline constexpr std::size_t kOutcomeCount = 12;

std::string_view outcome_name(Outcome o) noexcept;

// The class a completed HTTP response falls in when no expectation says otherwise:
// 2xx/3xx success, 4xx/5xx their own class.
Outcome outcome_for_status(int status) noexcept;

struct OutcomeCounts {
    std::array<std::uint64_t, kOutcomeCount> n{};

    std::uint64_t& operator[](Outcome o) noexcept { return n[static_cast<std::size_t>(o)]; }
    std::uint64_t operator[](Outcome o) const noexcept { return n[static_cast<std::size_t>(o)]; }
    void add(const OutcomeCounts& other) noexcept;
    // Every request that did not succeed, dropped arrivals included.
    std::uint64_t failures() const noexcept;
    std::uint64_t total() const noexcept;
};

// failures / (issued requests + dropped arrivals); 0 when there was nothing.
double error_rate(const OutcomeCounts& counts, std::uint64_t issued_requests) noexcept;

}  // namespace faultline
