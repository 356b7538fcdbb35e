#pragma once
// The demo target's routes, decided from the request target alone. Pure: the session
// carries out the plan (delays, writes, closes). To add a route, add a RouteKind, plan it
// here and give it a responder in responders.cpp.
//
//   GET /, any unknown path   200 "ok\n"
//   /status/NNN               status NNN (100-599, else 400); 1xx, 204 and 304 have no body
//   /bytes/N                  N-byte body (N up to 64 MiB; parse_size units allowed: 4KiB)
//   /chunked/N                N bytes with chunked transfer-encoding, in several chunks
//   /delay/MS                 "ok\n" after MS extra milliseconds (or a duration: 250ms, 1.5s)
//   /close                    closes the connection without a response
//   /echo                     method, target, headers and body as JSON
//   /health                   200 "ok\n" at once: no latency, never an injected error
//   /login, /cart, /items     the small JSON API of the scenario examples (api_routes.hpp)
#include <chrono>
#include <cstdint>
#include <string_view>

namespace faultline::demo {

inline constexpr std::uint64_t kMaxBodyBytes = std::uint64_t{64} << 20;
inline constexpr std::chrono::milliseconds kMaxExtraDelay{std::chrono::minutes(10)};

// injected_error is never planned here: the session substitutes it when a fault draw says so.
enum class RouteKind { ok, status, bytes, chunked, close, echo, bad_request, injected_error, login, cart, items };

struct RoutePlan {
    RouteKind kind = RouteKind::ok;
    unsigned status = 200;                      // status, bad_request (400, 413, 431)
    std::uint64_t size_bytes = 0;               // bytes, chunked
    std::chrono::milliseconds extra_delay{0};   // added to the injected latency
    std::string_view message;                   // bad_request: why (static storage)
    bool inject_faults = true;                  // false: no latency, no injected error
};

// A bad_request plan: `status` (400, 413, 431) with `message` (static storage) as the body.
RoutePlan bad_request_plan(unsigned status, std::string_view message);

// `target` is the request-target as received (origin form, query string allowed).
RoutePlan plan_route(std::string_view target);

}  // namespace faultline::demo
