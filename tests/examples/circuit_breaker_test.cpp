// The frontend's circuit breaker, driven with exact time points.
#include <catch2/catch.hpp>

#include "examples/demo_target/circuit_breaker.hpp"

using namespace faultline;
using namespace faultline::demo;
using namespace std::chrono_literals;

namespace {

const Clock_tp t0{std::chrono::seconds(1000)};

// Opens `breaker` (threshold 3) with three failures at t0.
void open_it(CircuitBreaker& breaker) {
    for (int i = 0; i < 3; ++i) breaker.on_failure(breaker.try_acquire(t0), t0);
    REQUIRE(breaker.state(t0) == BreakerState::open);
}

}  // namespace

TEST_CASE("breaker: closed -> open after the threshold of consecutive failures", "[demo_system]") {
    CircuitBreaker breaker({.failure_threshold = 3, .open_duration = 2s});
    CHECK(breaker.state(t0) == BreakerState::closed);
    for (int i = 0; i < 2; ++i) {
        const auto permit = breaker.try_acquire(t0);
        REQUIRE(permit.allowed);
        CHECK_FALSE(permit.probe);
        breaker.on_failure(permit, t0);
    }
    CHECK(breaker.state(t0) == BreakerState::closed);
    CHECK(breaker.consecutive_failures() == 2);
    breaker.on_failure(breaker.try_acquire(t0 + 1ms), t0 + 1ms);
    CHECK(breaker.state(t0 + 1ms) == BreakerState::open);
    CHECK(breaker.times_opened() == 1);
    CHECK_FALSE(breaker.try_acquire(t0 + 1ms).allowed);
}

TEST_CASE("breaker: a success in between resets the consecutive count", "[demo_system]") {
    CircuitBreaker breaker({.failure_threshold = 3, .open_duration = 2s});
    for (int round = 0; round < 5; ++round) {
        breaker.on_failure(breaker.try_acquire(t0), t0);
        breaker.on_failure(breaker.try_acquire(t0), t0);
        breaker.on_success(breaker.try_acquire(t0), t0);
    }
    CHECK(breaker.state(t0) == BreakerState::closed);
    CHECK(breaker.consecutive_failures() == 0);
}

TEST_CASE("breaker: open -> half-open exactly after the open duration, one probe at a time", "[demo_system]") {
    CircuitBreaker breaker({.failure_threshold = 3, .open_duration = 2s});
    open_it(breaker);
    CHECK_FALSE(breaker.try_acquire(t0 + 2s - 1ns).allowed);
    CHECK(breaker.state(t0 + 2s - 1ns) == BreakerState::open);
    CHECK(breaker.state(t0 + 2s) == BreakerState::half_open);
    const auto probe = breaker.try_acquire(t0 + 2s);
    CHECK(probe.allowed);
    CHECK(probe.probe);
    // While the probe is out, everything else fails fast.
    CHECK_FALSE(breaker.try_acquire(t0 + 2s).allowed);
    CHECK_FALSE(breaker.try_acquire(t0 + 10s).allowed);
    CHECK(breaker.state(t0 + 10s) == BreakerState::half_open);
}

TEST_CASE("breaker: half-open -> closed when the probe succeeds", "[demo_system]") {
    CircuitBreaker breaker({.failure_threshold = 3, .open_duration = 2s});
    open_it(breaker);
    const auto probe = breaker.try_acquire(t0 + 3s);
    REQUIRE(probe.probe);
    breaker.on_success(probe, t0 + 3s + 5ms);
    CHECK(breaker.state(t0 + 3s + 5ms) == BreakerState::closed);
    const auto next = breaker.try_acquire(t0 + 3s + 5ms);
    CHECK(next.allowed);
    CHECK_FALSE(next.probe);
    // Closed again means the full threshold is needed to re-open.
    breaker.on_failure(next, t0 + 4s);
    breaker.on_failure(breaker.try_acquire(t0 + 4s), t0 + 4s);
    CHECK(breaker.state(t0 + 4s) == BreakerState::closed);
}

TEST_CASE("breaker: half-open -> open when the probe fails, and the open time restarts", "[demo_system]") {
    CircuitBreaker breaker({.failure_threshold = 3, .open_duration = 2s});
    open_it(breaker);
    const auto probe = breaker.try_acquire(t0 + 2s);
    REQUIRE(probe.probe);
    breaker.on_failure(probe, t0 + 2500ms);
    CHECK(breaker.state(t0 + 2500ms) == BreakerState::open);
    CHECK(breaker.times_opened() == 2);
    CHECK_FALSE(breaker.try_acquire(t0 + 4500ms - 1ns).allowed);
    CHECK(breaker.try_acquire(t0 + 4500ms).probe);
}

TEST_CASE("breaker: an abandoned probe lets the next call probe", "[demo_system]") {
    CircuitBreaker breaker({.failure_threshold = 3, .open_duration = 2s});
    open_it(breaker);
    const auto probe = breaker.try_acquire(t0 + 2s);
    REQUIRE(probe.probe);
    breaker.on_abandoned(probe);
    CHECK(breaker.state(t0 + 2s) == BreakerState::half_open);
    CHECK(breaker.try_acquire(t0 + 2s).probe);
}

TEST_CASE("breaker: results of calls admitted in an earlier state do not count", "[demo_system]") {
    CircuitBreaker breaker({.failure_threshold = 3, .open_duration = 2s});
    const auto slow = breaker.try_acquire(t0);  // admitted while closed, answers late
    open_it(breaker);
    // A late success does not close an open breaker.
    breaker.on_success(slow, t0 + 1s);
    CHECK(breaker.state(t0 + 1s) == BreakerState::open);
    const auto probe = breaker.try_acquire(t0 + 2s);
    breaker.on_success(probe, t0 + 2s);
    REQUIRE(breaker.state(t0 + 2s) == BreakerState::closed);
    // Failures of calls admitted before the probe closed it are ignored.
    for (int i = 0; i < 5; ++i) breaker.on_failure(slow, t0 + 3s);
    CHECK(breaker.state(t0 + 3s) == BreakerState::closed);
    CHECK(breaker.consecutive_failures() == 0);
    // A non-probe permit cannot decide the half-open state either.
    open_it(breaker);
    const auto rejected = breaker.try_acquire(t0 + 1s);
    CHECK_FALSE(rejected.allowed);
    breaker.on_success(rejected, t0 + 1s);
    CHECK(breaker.state(t0 + 1s) == BreakerState::open);
}

TEST_CASE("breaker: threshold 1 opens on the first failure; 0 is treated as 1", "[demo_system]") {
    for (unsigned threshold : {0u, 1u}) {
        CircuitBreaker breaker({.failure_threshold = threshold, .open_duration = 1s});
        breaker.on_failure(breaker.try_acquire(t0), t0);
        CHECK(breaker.state(t0) == BreakerState::open);
    }
    CHECK(std::string(to_string(BreakerState::half_open)) == "half-open");
}
