// The frontend's retry budget with exact time points.
#include <catch2/catch.hpp>

#include "examples/demo_target/retry_budget.hpp"

using namespace faultline;
using namespace faultline::demo;
using namespace std::chrono_literals;

namespace {
const Clock_tp t0{std::chrono::seconds(500)};
}

TEST_CASE("retry budget: at most ratio * requests retries in the window", "[demo_system]") {
    RetryBudget budget({.ratio = 0.1, .window = 10s}, t0);
    CHECK_FALSE(budget.try_retry(t0));  // no requests yet: no budget
    for (int i = 0; i < 9; ++i) budget.on_request(t0);
    CHECK_FALSE(budget.try_retry(t0));  // 0.9 < 1
    budget.on_request(t0);
    CHECK(budget.try_retry(t0));        // 1 <= 0.1 * 10
    CHECK_FALSE(budget.try_retry(t0));  // 2 > 1
    CHECK(budget.retries_in_window(t0) == 1);
    for (int i = 0; i < 10; ++i) budget.on_request(t0 + 3s);
    CHECK(budget.requests_in_window(t0 + 3s) == 20);
    CHECK(budget.try_retry(t0 + 3s));
    CHECK_FALSE(budget.try_retry(t0 + 3s));
}

TEST_CASE("retry budget: the window slides bucket by bucket", "[demo_system]") {
    // Buckets of 1 s. Requests in bucket 0 count until bucket 10 begins.
    RetryBudget budget({.ratio = 1.0, .window = 10s}, t0);
    budget.on_request(t0 + 500ms);
    budget.on_request(t0 + 5s);
    CHECK(budget.requests_in_window(t0 + 10s - 1ns) == 2);
    CHECK(budget.requests_in_window(t0 + 10s) == 1);
    CHECK(budget.requests_in_window(t0 + 15s - 1ns) == 1);
    CHECK(budget.requests_in_window(t0 + 15s) == 0);
    CHECK_FALSE(budget.try_retry(t0 + 15s));
}

TEST_CASE("retry budget: retries expire with the window too", "[demo_system]") {
    RetryBudget budget({.ratio = 0.5, .window = 10s}, t0);
    for (int i = 0; i < 4; ++i) budget.on_request(t0);
    CHECK(budget.try_retry(t0));
    CHECK(budget.try_retry(t0 + 1s));
    CHECK_FALSE(budget.try_retry(t0 + 2s));
    // At t0+10s bucket 0 (4 requests, 1 retry) drops out: 0 requests, 1 retry left.
    for (int i = 0; i < 4; ++i) budget.on_request(t0 + 10s);
    CHECK(budget.retries_in_window(t0 + 10s) == 1);
    CHECK(budget.try_retry(t0 + 10s));  // 2 <= 0.5 * 4
    CHECK_FALSE(budget.try_retry(t0 + 10s));
}

TEST_CASE("retry budget: per-request pattern with ratio 0.5", "[demo_system]") {
    // The frontend calls on_request once per client request, then try_retry per retry.
    RetryBudget budget({.ratio = 0.5, .window = 10s}, t0);
    int granted = 0;
    for (int request = 0; request < 4; ++request) {
        budget.on_request(t0);
        for (int retry = 0; retry < 2 && budget.try_retry(t0); ++retry) ++granted;
    }
    CHECK(granted == 2);
}

TEST_CASE("retry budget: ratio 0 never retries; a time before the origin counts in bucket 0", "[demo_system]") {
    RetryBudget none({.ratio = 0.0, .window = 10s}, t0);
    for (int i = 0; i < 100; ++i) none.on_request(t0);
    CHECK_FALSE(none.try_retry(t0));
    RetryBudget early({.ratio = 1.0, .window = 10s}, t0);
    early.on_request(t0 - 5s);
    CHECK(early.requests_in_window(t0) == 1);
}
