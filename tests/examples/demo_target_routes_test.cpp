#include <catch2/catch.hpp>

#include "examples/demo_target/faults.hpp"
#include "examples/demo_target/routes.hpp"

using namespace faultline::demo;
using namespace std::chrono_literals;

TEST_CASE("plan_route maps paths to routes", "[demo_target]") {
    CHECK(plan_route("/").kind == RouteKind::ok);
    CHECK(plan_route("/anything/else?x=1").kind == RouteKind::ok);
    CHECK(plan_route("/").inject_faults);

    CHECK_FALSE(plan_route("/health").inject_faults);
    CHECK(plan_route("/health?probe=1").kind == RouteKind::ok);
    CHECK(plan_route("/close").kind == RouteKind::close);
    CHECK(plan_route("/echo?a=b").kind == RouteKind::echo);
    CHECK(plan_route("/healthz").inject_faults);  // only the exact path skips injection
}

TEST_CASE("plan_route /status/NNN accepts 100-599 only", "[demo_target]") {
    CHECK(plan_route("/status/404").kind == RouteKind::status);
    CHECK(plan_route("/status/404").status == 404);
    CHECK(plan_route("/status/100").status == 100);
    CHECK(plan_route("/status/599").status == 599);
    for (const char* bad : {"/status/99", "/status/600", "/status/abc", "/status/", "/status/20x", "/status/-200"}) {
        INFO(bad);
        CHECK(plan_route(bad).kind == RouteKind::bad_request);
        CHECK(plan_route(bad).status == 400);
    }
}

TEST_CASE("plan_route /bytes and /chunked take sizes up to 64 MiB", "[demo_target]") {
    CHECK(plan_route("/bytes/1000").kind == RouteKind::bytes);
    CHECK(plan_route("/bytes/1000").size_bytes == 1000);
    CHECK(plan_route("/bytes/0").size_bytes == 0);
    CHECK(plan_route("/bytes/4KiB").size_bytes == 4096);
    CHECK(plan_route("/bytes/64MiB").size_bytes == kMaxBodyBytes);
    CHECK(plan_route("/bytes/67108865").kind == RouteKind::bad_request);
    CHECK(plan_route("/bytes/lots").kind == RouteKind::bad_request);
    CHECK(plan_route("/chunked/10000").kind == RouteKind::chunked);
    CHECK(plan_route("/chunked/10000").size_bytes == 10000);
    CHECK(plan_route("/chunked/65MiB").kind == RouteKind::bad_request);
}

TEST_CASE("plan_route /delay takes milliseconds or a duration", "[demo_target]") {
    CHECK(plan_route("/delay/250").kind == RouteKind::ok);
    CHECK(plan_route("/delay/250").extra_delay == 250ms);
    CHECK(plan_route("/delay/1.5s").extra_delay == 1500ms);
    CHECK(plan_route("/delay/0").extra_delay == 0ms);
    CHECK(plan_route("/delay/600000").extra_delay == 600000ms);
    CHECK(plan_route("/delay/600001").kind == RouteKind::bad_request);
    CHECK(plan_route("/delay/soon").kind == RouteKind::bad_request);
}

TEST_CASE("ResponseFaults draws delays within latency ± jitter", "[demo_target]") {
    const FaultSettings settings{.latency = 20ms, .jitter = 5ms, .error_rate = 0.0, .seed = 42};
    ResponseFaults faults(settings, 0);
    std::chrono::nanoseconds lowest = 1h;
    std::chrono::nanoseconds highest = 0ns;
    for (int i = 0; i < 10000; ++i) {
        const auto d = faults.next_delay();
        lowest = std::min(lowest, d);
        highest = std::max(highest, d);
        REQUIRE(d >= 15ms);
        REQUIRE(d <= 25ms);
    }
    // 10k uniform draws come within 0.1 ms of both ends.
    CHECK(lowest < 15100us);
    CHECK(highest > 24900us);
}

TEST_CASE("ResponseFaults never returns a negative delay", "[demo_target]") {
    ResponseFaults faults(FaultSettings{.latency = 1ms, .jitter = 5ms, .error_rate = 0.0, .seed = 1}, 3);
    for (int i = 0; i < 1000; ++i) REQUIRE(faults.next_delay() >= 0ns);
    ResponseFaults fixed(FaultSettings{.latency = 7ms, .jitter = 0ns, .error_rate = 0.0, .seed = 1}, 3);
    CHECK(fixed.next_delay() == 7ms);
}

TEST_CASE("ResponseFaults error draws follow the rate and the seed", "[demo_target]") {
    const FaultSettings never{.latency = 0ns, .jitter = 0ns, .error_rate = 0.0, .seed = 1};
    const FaultSettings always{.latency = 0ns, .jitter = 0ns, .error_rate = 1.0, .seed = 1};
    const FaultSettings half{.latency = 0ns, .jitter = 0ns, .error_rate = 0.25, .seed = 9};
    ResponseFaults n(never, 0), a(always, 0), h1(half, 5), h2(half, 5), other(half, 6);
    int errors = 0;
    int differences = 0;
    for (int i = 0; i < 10000; ++i) {
        REQUIRE_FALSE(n.next_error());
        REQUIRE(a.next_error());
        const bool e = h1.next_error();
        REQUIRE(e == h2.next_error());  // same seed and stream: same draws
        differences += e != other.next_error() ? 1 : 0;
        errors += e ? 1 : 0;
    }
    CHECK(errors > 2300);  // 2500 expected; sd ≈ 43
    CHECK(errors < 2700);
    CHECK(differences > 0);  // another connection draws another sequence
}
