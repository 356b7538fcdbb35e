// End-to-end tests of the demo frontend's resilience switches against real processes:
// the circuit breaker (fail fast, half-open recovery), the bulkhead, and retries within
// their budget.
#include <catch2/catch.hpp>

#include "tests/examples/demo_system_fixture.hpp"

using namespace faultline::test;
using namespace faultline::test::examples;

TEST_CASE("demo frontend --breaker opens after N failures, fails fast, and recovers half-open", "[socket]") {
    Blackhole blackhole;
    const std::uint16_t backend_port = blackhole.port();
    DemoTarget frontend(frontend_flags(
        backend_port, {"--breaker", "--breaker-failures", "3", "--breaker-open", "1s", "--backend-timeout", "300ms"}));
    PlainClient client(frontend.port());

    // Three timeouts open the breaker.
    for (int i = 0; i < 3; ++i) {
        const auto [res, took] = timed(client, make_request(http::verb::get, "/items/item1"));
        CHECK(res.result_int() == 504);
        CHECK(took >= 300ms);
    }
    // Open: fail fast although the backend would take the full timeout.
    for (int i = 0; i < 5; ++i) {
        const auto [res, took] = timed(client, make_request(http::verb::get, "/items/item1"));
        log_timing("request while the breaker is open", took, 0ms, 50ms);
        CHECK(res.result_int() == 503);
        CHECK(res["X-Breaker"] == "open");
        CHECK(took < 50ms);
    }
    CHECK(client.get("/ready").result_int() == 503);
    CHECK(client.get("/health").result_int() == 200);

    // The backend comes back on the same address; after the open time one probe goes
    // through and closes the breaker.
    const auto opened = std::chrono::steady_clock::now();
    blackhole.close();
    DemoTarget backend(backend_flags({"--port", std::to_string(backend_port)}));
    REQUIRE(backend.port() == backend_port);
    std::this_thread::sleep_until(opened + 1100ms);
    const auto probe = client.get("/items/item1");
    CHECK(probe.result_int() == 200);
    CHECK(probe["X-Served-By"] == "backend");
    CHECK(client.get("/ready").result_int() == 200);
    for (int i = 0; i < 3; ++i) CHECK(client.get("/items/item2").result_int() == 200);
    const auto stats = stats_of(frontend.port());
    CHECK(stats.at("breaker").as_string() == "closed");
    CHECK(stats.at("breaker_opened").to_number<std::uint64_t>() == 1);
    CHECK(stats.at("rejected_breaker").to_number<std::uint64_t>() == 5);
    CHECK(frontend.stop(SIGTERM) == ExitStatus::exited(0));
}

TEST_CASE("demo frontend without --breaker waits out every slow call", "[socket]") {
    Blackhole blackhole;
    DemoTarget frontend(frontend_flags(blackhole.port(), {"--backend-timeout", "150ms"}));
    PlainClient client(frontend.port());
    for (int i = 0; i < 6; ++i) {
        const auto [res, took] = timed(client, make_request(http::verb::get, "/items/item1"));
        CHECK(res.result_int() == 504);
        CHECK(took >= 150ms);
    }
}

TEST_CASE("demo frontend --breaker with --stale-cache serves stale copies while open", "[socket]") {
    DemoTarget backend(backend_flags());
    const std::uint16_t backend_port = backend.port();
    DemoTarget frontend(frontend_flags(backend_port, {"--breaker", "--breaker-failures", "2", "--stale-cache"}));
    PlainClient client(frontend.port());
    REQUIRE(client.get("/items/item5").result_int() == 200);
    REQUIRE(backend.process().send_signal(SIGKILL));
    backend.wait();
    for (int i = 0; i < 4; ++i) {
        const auto res = client.get("/items/item5");
        CHECK(res.result_int() == 200);
        CHECK(res["X-Served-By"] == "stale-cache");
    }
    const auto stats = stats_of(frontend.port());
    CHECK(stats.at("breaker").as_string() == "open");
    CHECK(stats.at("rejected_breaker").to_number<std::uint64_t>() == 2);
    CHECK(stats.at("stale_served").to_number<std::uint64_t>() == 4);
}

TEST_CASE("demo frontend --bulkhead rejects calls beyond N in flight at once", "[socket]") {
    DemoTarget backend(backend_flags({"--latency", "600ms"}));
    DemoTarget frontend(frontend_flags(backend.port(), {"--bulkhead", "1"}));
    PlainClient slow(frontend.port());
    slow.send(make_request(http::verb::get, "/items/item1"));
    std::this_thread::sleep_for(150ms);  // the first call now holds the only slot
    PlainClient other(frontend.port());
    const auto [rejected, took] = timed(other, make_request(http::verb::get, "/items/item2"));
    CHECK(rejected.result_int() == 503);
    CHECK(rejected["X-Bulkhead"] == "full");
    CHECK(took < 100ms);
    CHECK(slow.receive().result_int() == 200);
    // The slot is free again.
    CHECK(other.get("/items/item2").result_int() == 200);
    CHECK(stats_of(frontend.port()).at("rejected_bulkhead").to_number<std::uint64_t>() == 1);
}

TEST_CASE("demo frontend --retries stays within --retry-budget", "[socket]") {
    DemoTarget backend(backend_flags({"--error-rate", "1"}));
    DemoTarget frontend(frontend_flags(backend.port(), {"--retries", "2", "--retry-budget", "0.5"}));
    PlainClient client(frontend.port());
    for (int i = 0; i < 4; ++i) {
        const auto res = client.get("/items/item1");
        CHECK(res.result_int() == 502);
    }
    // Budget 0.5 per request: request 2 and request 4 get one retry each (see
    // retry_budget_test.cpp), every other retry is denied.
    const auto stats = stats_of(frontend.port());
    CHECK(stats.at("retries").to_number<std::uint64_t>() == 2);
    CHECK(stats.at("attempts").to_number<std::uint64_t>() == 6);
    CHECK(stats.at("backend_errors").to_number<std::uint64_t>() == 6);
}

TEST_CASE("demo frontend retries turn a flaky backend into successes", "[socket]") {
    DemoTarget backend(backend_flags({"--error-rate", "0.3", "--seed", "7"}));
    DemoTarget frontend(frontend_flags(backend.port(), {"--retries", "3", "--retry-budget", "10"}));
    PlainClient client(frontend.port());
    int ok = 0;
    for (int i = 0; i < 40; ++i) ok += client.get("/items/item1").result_int() == 200 ? 1 : 0;
    CHECK(ok >= 38);  // P(4 failures in a row) = 0.3^4 < 1 %
    CHECK(stats_of(frontend.port()).at("retries").to_number<std::uint64_t>() > 0);
}
