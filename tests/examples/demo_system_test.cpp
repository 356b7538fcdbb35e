// End-to-end tests of the two-tier demo system: faultline-demo-target --mode backend and
// --mode frontend as processes on 127.0.0.1: serving through, backend outages, security
// switches, HTTPS, drain on SIGTERM and flag validation. The breaker, bulkhead and retry
// tests are in demo_system_resilience_test.cpp.
#include <catch2/catch.hpp>

#include "tests/examples/demo_system_fixture.hpp"

using namespace faultline::test;
using namespace faultline::test::examples;

TEST_CASE("demo backend serves its key/value store", "[socket]") {
    DemoTarget backend(backend_flags());
    CHECK(backend.listening_line() == fmt::format("listening on http://127.0.0.1:{}", backend.port()));
    PlainClient client(backend.port());
    const auto item = client.get("/kv/item1");
    CHECK(item.result_int() == 200);
    CHECK(item[http::field::content_type] == "application/json");
    CHECK(boost::json::parse(item.body()).at("id").as_int64() == 1);
    CHECK(client.get("/kv/item100").result_int() == 200);
    CHECK(client.get("/kv/item101").result_int() == 404);
    client.send(request_with(http::verb::put, "/kv/color", {{"Content-Type", "text/plain"}}, "blue"));
    CHECK(client.receive().result_int() == 204);
    CHECK(client.get("/kv/color").body() == "blue");
    CHECK(client.get("/health").body() == "ok\n");
    CHECK(client.get("/").result_int() == 404);
    CHECK(backend.stop(SIGTERM) == ExitStatus::exited(0));
}

TEST_CASE("demo frontend serves items through the backend", "[socket]") {
    DemoTarget backend(backend_flags());
    DemoTarget frontend(frontend_flags(backend.port()));
    CHECK(frontend.listening_line() == fmt::format("listening on http://127.0.0.1:{}", frontend.port()));
    PlainClient client(frontend.port());
    for (int i = 0; i < 3; ++i) {
        const auto res = client.get("/items/item7");
        CHECK(res.result_int() == 200);
        CHECK(res["X-Served-By"] == "backend");
        CHECK(boost::json::parse(res.body()).at("name").as_string() == "item 7");
    }
    CHECK(client.get("/items/nothing").result_int() == 404);
    client.send(request_with(http::verb::put, "/items/fresh", {{"Content-Type", "application/json"}}, R"({"v":1})"));
    CHECK(client.receive().result_int() == 204);
    CHECK(client.get("/items/fresh").body() == R"({"v":1})");  // read-your-writes
    const auto [head, took] = timed(client, make_request(http::verb::head, "/items/item1"));
    CHECK(head.result_int() == 200);
    CHECK(head.body().empty());
    client.send(make_request(http::verb::delete_, "/items/item1"));
    CHECK(client.receive().result_int() == 405);
    CHECK(client.get("/elsewhere").result_int() == 404);
    CHECK(client.get("/health").body() == "ok\n");
    CHECK(client.get("/ready").result_int() == 200);
    const auto stats = stats_of(frontend.port());
    CHECK(stats.at("breaker").as_string() == "disabled");
    CHECK(stats.at("successes").to_number<std::uint64_t>() == 7);
    CHECK(frontend.stop(SIGTERM) == ExitStatus::exited(0));
    CHECK(frontend.stderr_after_exit().empty());
}

TEST_CASE("demo frontend with the backend down: 502, or the stale copy with --stale-cache", "[socket]") {
    const bool stale_cache = GENERATE(false, true);
    INFO("--stale-cache " << stale_cache);
    DemoTarget backend(backend_flags());
    DemoTarget frontend(frontend_flags(backend.port(), stale_cache ? std::vector<std::string>{"--stale-cache"}
                                                                   : std::vector<std::string>{}));
    PlainClient client(frontend.port());
    REQUIRE(client.get("/items/item1").result_int() == 200);
    REQUIRE(backend.process().send_signal(SIGKILL));
    backend.wait();

    const auto res = client.get("/items/item1");
    if (stale_cache) {
        CHECK(res.result_int() == 200);
        CHECK(res["X-Served-By"] == "stale-cache");
        CHECK(res["Age"] == "0");
        CHECK(res["Warning"] == "110 - \"Response is Stale\"");
        CHECK(boost::json::parse(res.body()).at("id").as_int64() == 1);
    } else {
        CHECK(res.result_int() == 502);
        CHECK(res["X-Served-By"] == "frontend");
    }
    // A key never served before has no stale copy.
    CHECK(client.get("/items/item2").result_int() == 502);
    CHECK(frontend.stop(SIGTERM) == ExitStatus::exited(0));
}

TEST_CASE("demo frontend times out a blackholed backend with 504", "[socket]") {
    Blackhole blackhole;
    DemoTarget frontend(frontend_flags(blackhole.port(), {"--backend-timeout", "200ms"}));
    PlainClient client(frontend.port());
    const auto [res, took] = timed(client, make_request(http::verb::get, "/items/item1"));
    CHECK(res.result_int() == 504);
    log_timing("backend timeout", took, 200ms, 200ms + tolerance(200ms));
    CHECK(took >= 200ms);
    CHECK(took < 200ms + tolerance(200ms) + 100ms);
    CHECK(frontend.stop(SIGTERM) == ExitStatus::exited(0));
}

TEST_CASE("demo frontend --api-key answers 401 without the key", "[socket]") {
    DemoTarget backend(backend_flags());
    DemoTarget frontend(frontend_flags(backend.port(), {"--api-key", "s3cret"}));
    PlainClient client(frontend.port());
    const auto denied = client.get("/items/item1");
    CHECK(denied.result_int() == 401);
    CHECK(denied["WWW-Authenticate"] == "Bearer");
    client.send(request_with(http::verb::get, "/items/item1", {{"X-API-Key", "wrong"}}));
    CHECK(client.receive().result_int() == 401);
    client.send(request_with(http::verb::get, "/items/item1", {{"X-API-Key", "s3cret"}}));
    CHECK(client.receive().result_int() == 200);
    client.send(request_with(http::verb::get, "/items/item1", {{"Authorization", "Bearer s3cret"}}));
    CHECK(client.receive().result_int() == 200);
    CHECK(client.get("/health").result_int() == 200);  // probes need no key
    CHECK(stats_of(frontend.port()).at("unauthorized").to_number<std::uint64_t>() == 2);
}

TEST_CASE("demo frontend --rate-limit answers 429 with Retry-After past N per window", "[socket]") {
    DemoTarget backend(backend_flags());
    // A long window, so the burst cannot straddle two windows.
    DemoTarget frontend(frontend_flags(backend.port(), {"--rate-limit", "5", "--rate-window", "60s"}));
    PlainClient client(frontend.port());
    for (int i = 0; i < 5; ++i) CHECK(client.get("/items/item1").result_int() == 200);
    for (int i = 0; i < 3; ++i) {
        const auto res = client.get("/items/item1");
        CHECK(res.result_int() == 429);
        const int retry_after = std::stoi(std::string(res["Retry-After"]));
        CHECK(retry_after >= 1);
        CHECK(retry_after <= 60);
    }
    CHECK(client.get("/health").result_int() == 200);  // not rate limited
    CHECK(stats_of(frontend.port()).at("rate_limited").to_number<std::uint64_t>() == 3);
}

TEST_CASE("demo frontend --tls serves HTTPS verified with the written CA", "[socket]") {
    const fs::path dir = make_temp_dir();
    DemoTarget backend(backend_flags());
    DemoTarget frontend(frontend_flags(backend.port(), {"--tls", "--ca-out", (dir / "ca.pem").string()}));
    CHECK(frontend.listening_line() == fmt::format("listening on https://127.0.0.1:{}", frontend.port()));
    ssl::context context = verifying_context(dir / "ca.pem");
    TlsClient client(frontend.port(), context);
    client.stream().set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    client.stream().handshake(ssl::stream_base::client);
    const auto res = client.get("/items/item3");
    CHECK(res.result_int() == 200);
    CHECK(res["X-Served-By"] == "backend");
    CHECK(frontend.stop(SIGTERM) == ExitStatus::exited(0));
    fs::remove_all(dir);
}

TEST_CASE("demo frontend drains on SIGTERM: the in-flight request finishes, then exit 0", "[socket]") {
    DemoTarget backend(backend_flags({"--latency", "800ms"}));
    DemoTarget frontend(frontend_flags(backend.port(), {"--backend-timeout", "5s"}));
    PlainClient client(frontend.port());
    client.send(make_request(http::verb::get, "/items/item1"));
    std::this_thread::sleep_for(200ms);  // the frontend is now waiting for the backend
    REQUIRE(frontend.process().send_signal(SIGTERM));
    std::this_thread::sleep_for(100ms);
    // No new connections once draining.
    boost::system::error_code ec;
    {
        net::io_context ioc;
        tcp::socket probe(ioc);
        probe.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), frontend.port()), ec);
    }
    CHECK(ec);
    const auto res = client.receive();
    CHECK(res.result_int() == 200);
    CHECK(res["X-Served-By"] == "backend");
    CHECK_FALSE(res.keep_alive());
    CHECK(frontend.wait() == ExitStatus::exited(0));
    CHECK(frontend.stderr_after_exit().empty());
}

TEST_CASE("demo frontend --drain-timeout cuts off a request that takes longer", "[socket]") {
    DemoTarget backend(backend_flags({"--latency", "5s"}));
    DemoTarget frontend(frontend_flags(backend.port(), {"--backend-timeout", "10s", "--drain-timeout", "300ms"}));
    PlainClient client(frontend.port());
    client.send(make_request(http::verb::get, "/items/item1"));
    std::this_thread::sleep_for(200ms);
    const auto start = std::chrono::steady_clock::now();
    CHECK(frontend.stop(SIGTERM) == ExitStatus::exited(0));
    const auto took = std::chrono::steady_clock::now() - start;
    log_timing("drain cut-off", took, 300ms, 300ms + 1s);
    CHECK(took < 2s);
    CHECK(client.read_error());
}

TEST_CASE("demo target modes reject misplaced and bad flags with exit code 2", "[socket]") {
    const std::vector<std::vector<std::string>> cases{
        {"--port", "0", "--mode", "bogus"},
        {"--port", "0", "--mode", "frontend"},  // --backend missing
        {"--port", "0", "--mode", "frontend", "--backend", "nohost"},
        {"--port", "0", "--mode", "frontend", "--backend", "127.0.0.1:1", "--latency", "5ms"},
        {"--port", "0", "--mode", "frontend", "--backend", "127.0.0.1:1", "--backend-timeout", "0"},
        {"--port", "0", "--mode", "frontend", "--backend", "127.0.0.1:1", "--breaker-failures", "0"},
        {"--port", "0", "--mode", "frontend", "--backend", "127.0.0.1:1", "--rate-window", "soon"},
        {"--port", "0", "--mode", "backend", "--breaker"},
        {"--port", "0", "--retries", "2"},
        {"--port", "0", "--drain-timeout", "x"},
    };
    for (auto flags : cases) {
        std::string shown;
        for (const auto& f : flags) shown += f + " ";
        INFO(shown);
        flags.insert(flags.begin(), FAULTLINE_DEMO_TARGET);
        ChildProcess child(flags);
        CHECK(child.wait(kMaxTestWait) == ExitStatus::exited(2));
        REQUIRE(child.wait_for_output_end(kMaxTestWait));
        CHECK_FALSE(child.stderr_text().empty());
    }
}
