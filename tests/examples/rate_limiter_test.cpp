// The frontend's fixed-window rate limiter with exact time points.
#include <catch2/catch.hpp>

#include "examples/demo_target/rate_limiter.hpp"

using namespace faultline;
using namespace faultline::demo;
using namespace std::chrono_literals;

namespace {
const Clock_tp t0{std::chrono::seconds(42)};
}

TEST_CASE("rate limiter: N per window, then rejected until the window ends", "[demo_system]") {
    FixedWindowLimiter limiter({.limit = 3, .window = 1s}, t0);
    for (int i = 0; i < 3; ++i) CHECK(limiter.try_acquire(t0 + 100ms).allowed);
    const auto rejected = limiter.try_acquire(t0 + 250ms);
    CHECK_FALSE(rejected.allowed);
    CHECK(rejected.retry_after == 750ms);
    CHECK_FALSE(limiter.try_acquire(t0 + 1s - 1ns).allowed);
    // The next window starts exactly at origin + 1 s.
    for (int i = 0; i < 3; ++i) CHECK(limiter.try_acquire(t0 + 1s).allowed);
    CHECK_FALSE(limiter.try_acquire(t0 + 1s).allowed);
    // A quiet gap of several windows starts fresh.
    CHECK(limiter.try_acquire(t0 + 7500ms).allowed);
}

TEST_CASE("rate limiter: rejected requests do not use up the next window", "[demo_system]") {
    FixedWindowLimiter limiter({.limit = 1, .window = 10s}, t0);
    CHECK(limiter.try_acquire(t0).allowed);
    for (int i = 0; i < 50; ++i) CHECK_FALSE(limiter.try_acquire(t0 + 9s).allowed);
    CHECK(limiter.try_acquire(t0 + 10s).allowed);
}

TEST_CASE("rate limiter: Retry-After seconds round up, at least 1", "[demo_system]") {
    CHECK(retry_after_seconds(750ms) == 1);
    CHECK(retry_after_seconds(1ns) == 1);
    CHECK(retry_after_seconds(0ns) == 1);
    CHECK(retry_after_seconds(1s) == 1);
    CHECK(retry_after_seconds(1001ms) == 2);
    CHECK(retry_after_seconds(60s) == 60);
}
