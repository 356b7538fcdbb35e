// End-to-end tests of faultline-demo-target's HTTP behaviour over 127.0.0.1: routes,
// keep-alive, threads, injected errors and latency.
#include <catch2/catch.hpp>

#include "tests/examples/demo_target_fixture.hpp"

using namespace faultline::test;
using namespace faultline::test::examples;

TEST_CASE("demo target prints its address and serves GET /", "[socket]") {
    DemoTarget target(quiet());
    CHECK(target.listening_line() == fmt::format("listening on http://127.0.0.1:{}", target.port()));
    PlainClient client(target.port());
    const auto res = client.get("/");
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "ok\n");
    CHECK(res[http::field::content_type] == "text/plain");
    CHECK(res.keep_alive());
    CHECK(client.get("/some/unknown/path?x=1").body() == "ok\n");
    CHECK(client.get("/health").result_int() == 200);
}

TEST_CASE("demo target routes: /status, /bytes, /chunked, /echo, /close", "[socket]") {
    DemoTarget target(quiet());
    PlainClient client(target.port());

    SECTION("/status/NNN") {
        CHECK(client.get("/status/404").result_int() == 404);
        CHECK(client.get("/status/503").result_int() == 503);
        CHECK(client.get("/status/599").result_int() == 599);
        const auto no_content = client.get("/status/204");
        CHECK(no_content.result_int() == 204);
        CHECK(no_content.body().empty());
        const auto not_modified = client.get("/status/304");
        CHECK(not_modified.result_int() == 304);
        CHECK(not_modified.body().empty());
        for (const char* bad : {"/status/99", "/status/600", "/status/abc"}) {
            INFO(bad);
            CHECK(client.get(bad).result_int() == 400);
        }
    }
    SECTION("/bytes/N") {
        const auto res = client.get("/bytes/1000");
        CHECK(res.result_int() == 200);
        CHECK(res.body().size() == 1000);
        CHECK(res.body().substr(0, 5) == "abcde");
        CHECK(client.get("/bytes/0").body().empty());
        CHECK(client.get("/bytes/3MiB").body().size() == 3u << 20);
        CHECK(client.get("/bytes/67108865").result_int() == 400);
    }
    SECTION("/chunked/N") {
        client.send(make_request(http::verb::get, "/chunked/10000"));
        http::response_parser<http::string_body> parser;
        int chunks = 0;
        auto on_chunk = [&](std::uint64_t size, auto /*extensions*/, auto& /*ec*/) { chunks += size > 0 ? 1 : 0; };
        parser.on_chunk_header(on_chunk);
        boost::beast::flat_buffer buffer;
        http::read(client.stream(), buffer, parser);
        CHECK(parser.get().result_int() == 200);
        CHECK(parser.chunked());
        CHECK(parser.get().body().size() == 10000);
        CHECK(chunks >= 4);
        // The connection is still usable after the last chunk.
        Client<tcp::socket> again(target.port());
        CHECK(again.get("/chunked/0").body().empty());
    }
    SECTION("/echo") {
        auto req = make_request(http::verb::post, "/echo?q=1", "hello body");
        req.set("X-Faultline", "yes");
        client.send(req);
        const auto res = client.receive();
        CHECK(res.result_int() == 200);
        CHECK(res[http::field::content_type] == "application/json");
        const auto echo = boost::json::parse(res.body()).as_object();
        CHECK(echo.at("method") == "POST");
        CHECK(echo.at("target") == "/echo?q=1");
        CHECK(echo.at("body") == "hello body");
        CHECK(echo.at("headers").as_object().at("X-Faultline") == "yes");
        CHECK(echo.at("headers").as_object().at("Content-Length") == "10");
    }
    SECTION("/echo with Expect: 100-continue") {
        net::write(client.stream(), net::buffer(std::string_view(
                                        "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")));
        CHECK(client.receive().result_int() == 100);
        net::write(client.stream(), net::buffer(std::string_view("ping")));
        const auto res = client.receive();
        CHECK(res.result_int() == 200);
        CHECK(boost::json::parse(res.body()).at("body") == "ping");
    }
    SECTION("/close closes without a response") {
        client.send(make_request(http::verb::get, "/close"));
        CHECK(client.read_error() == http::error::end_of_stream);
    }
    SECTION("HEAD gets headers only") {
        client.send(make_request(http::verb::head, "/"));
        const auto res = client.receive(/*head=*/true);
        CHECK(res.result_int() == 200);
        CHECK(res[http::field::content_length] == "3");
        CHECK(client.get("/").body() == "ok\n");  // no stray body bytes on the connection
    }
    SECTION("a body over the 8 MiB limit gets 413 and a close") {
        // The header alone is enough: the target answers before reading any of the body.
        net::write(client.stream(), net::buffer(std::string_view(
                                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9437184\r\n\r\n")));
        const auto res = client.receive();
        CHECK(res.result_int() == 413);
        CHECK_FALSE(res.keep_alive());
        CHECK(client.read_error() == http::error::end_of_stream);
    }
}

TEST_CASE("demo target keeps connections alive", "[socket]") {
    DemoTarget target(quiet());
    PlainClient client(target.port());
    for (int i = 0; i < 100; ++i) {
        const auto res = client.get(i % 2 == 0 ? "/" : "/bytes/100");
        REQUIRE(res.result_int() == 200);
        REQUIRE(res.keep_alive());
    }

    SECTION("pipelined requests are answered in order") {
        const std::string two = "GET /status/201 HTTP/1.1\r\nHost: x\r\n\r\nGET /status/202 HTTP/1.1\r\nHost: x\r\n\r\n";
        net::write(client.stream(), net::buffer(two));
        CHECK(client.receive().result_int() == 201);
        CHECK(client.receive().result_int() == 202);
    }
    SECTION("Connection: close is honoured") {
        auto req = make_request(http::verb::get, "/");
        req.keep_alive(false);
        client.send(req);
        const auto res = client.receive();
        CHECK(res.body() == "ok\n");
        CHECK_FALSE(res.keep_alive());
        CHECK(client.read_error() == http::error::end_of_stream);
    }
    SECTION("HTTP/1.0 without keep-alive is closed after the response") {
        net::write(client.stream(), net::buffer(std::string_view("GET / HTTP/1.0\r\n\r\n")));
        const auto res = client.receive();
        CHECK(res.version() == 10);
        CHECK(res.body() == "ok\n");
        CHECK(client.read_error() == http::error::end_of_stream);
    }
}

TEST_CASE("demo target with several threads serves interleaved connections", "[socket]") {
    DemoTarget target(quiet({"--threads", "4"}));
    std::vector<std::unique_ptr<PlainClient>> clients;
    for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<PlainClient>(target.port()));
    for (int round = 0; round < 20; ++round)
        for (auto& c : clients) REQUIRE(c->get("/").body() == "ok\n");
}

TEST_CASE("demo target --error-rate 1 fails every response but /health", "[socket]") {
    DemoTarget target(quiet({"--error-rate", "1"}));
    PlainClient client(target.port());
    for (int i = 0; i < 20; ++i) {
        const auto res = client.get(i % 2 == 0 ? "/" : "/bytes/10");
        REQUIRE(res.result_int() == 500);
        REQUIRE(res.keep_alive());
    }
    CHECK(client.get("/health").result_int() == 200);
}

TEST_CASE("demo target error draws are reproducible from --seed", "[socket]") {
    auto statuses = [](const std::string& seed) {
        DemoTarget target(quiet({"--error-rate", "0.5", "--seed", seed}));
        PlainClient client(target.port());
        std::string pattern;
        for (int i = 0; i < 40; ++i) pattern += client.get("/").result_int() == 500 ? 'E' : '.';
        return pattern;
    };
    const auto first = statuses("7");
    INFO(first);
    CHECK(first.find('E') != std::string::npos);
    CHECK(first.find('.') != std::string::npos);
    CHECK(statuses("7") == first);
    CHECK(statuses("8") != first);
}

TEST_CASE("demo target honours --latency, --jitter and /delay", "[timing]") {
    SECTION("fixed latency") {
        DemoTarget target({"--port", "0", "--latency", "50ms", "--jitter", "0", "--error-rate", "0"});
        PlainClient client(target.port());
        CHECK(client.get("/health").result_int() == 200);  // connect and warm up, no latency
        for (int i = 0; i < 5; ++i) {
            const auto start = std::chrono::steady_clock::now();
            REQUIRE(client.get("/").result_int() == 200);
            const auto measured = std::chrono::steady_clock::now() - start;
            log_timing("--latency 50ms", measured, 50ms, 50ms + tolerance(50ms));
            CHECK(measured >= 50ms);
            CHECK(measured <= 50ms + tolerance(50ms));
        }
    }
    SECTION("latency with jitter") {
        DemoTarget target({"--port", "0", "--latency", "30ms", "--jitter", "10ms", "--error-rate", "0"});
        PlainClient client(target.port());
        for (int i = 0; i < 10; ++i) {
            const auto start = std::chrono::steady_clock::now();
            REQUIRE(client.get("/").result_int() == 200);
            const auto measured = std::chrono::steady_clock::now() - start;
            log_timing("--latency 30ms --jitter 10ms", measured, 20ms, 40ms + tolerance(40ms));
            CHECK(measured >= 20ms);
            CHECK(measured <= 40ms + tolerance(40ms));
        }
    }
    SECTION("/delay/MS adds to the latency") {
        DemoTarget target(quiet());
        PlainClient client(target.port());
        const auto start = std::chrono::steady_clock::now();
        REQUIRE(client.get("/delay/100").result_int() == 200);
        const auto measured = std::chrono::steady_clock::now() - start;
        log_timing("/delay/100", measured, 100ms, 100ms + tolerance(100ms));
        CHECK(measured >= 100ms);
        CHECK(measured <= 100ms + tolerance(100ms));
    }
}
