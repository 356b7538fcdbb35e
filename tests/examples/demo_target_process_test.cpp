// End-to-end tests of faultline-demo-target as a process: TLS and its CA file, flag
// validation, and graceful stop on signals.
#include <catch2/catch.hpp>

#include "tests/examples/demo_target_fixture.hpp"

using namespace faultline::test;
using namespace faultline::test::examples;

TEST_CASE("demo target --tls serves HTTPS verified with the written CA", "[socket]") {
    const fs::path dir = make_temp_dir();
    const fs::path ca = dir / "ca.pem";
    DemoTarget target(quiet({"--tls", "--ca-out", ca.string()}));
    CHECK(target.listening_line() == fmt::format("listening on https://127.0.0.1:{}", target.port()));
    REQUIRE(fs::exists(ca));

    for (const std::string host : {"localhost", "127.0.0.1"}) {
        INFO("verifying as " << host);
        ssl::context context = verifying_context(ca);
        TlsClient client(target.port(), context);
        if (host == "localhost") SSL_set_tlsext_host_name(client.stream().native_handle(), host.c_str());
        client.stream().set_verify_callback(ssl::host_name_verification(host));
        client.stream().handshake(ssl::stream_base::client);
        for (int i = 0; i < 3; ++i) {
            const auto res = client.get("/");
            CHECK(res.result_int() == 200);
            CHECK(res.body() == "ok\n");
        }
        CHECK(client.get("/bytes/100000").body().size() == 100000);
    }

    SECTION("a client without the CA refuses the certificate") {
        ssl::context context(ssl::context::tls_client);
        context.set_verify_mode(ssl::verify_peer);
        TlsClient client(target.port(), context);
        boost::system::error_code ec;
        client.stream().handshake(ssl::stream_base::client, ec);
        CHECK(ec);
    }
    SECTION("a client verifying another name refuses the certificate") {
        ssl::context context = verifying_context(ca);
        TlsClient client(target.port(), context);
        client.stream().set_verify_callback(ssl::host_name_verification("example.com"));
        boost::system::error_code ec;
        client.stream().handshake(ssl::stream_base::client, ec);
        CHECK(ec);
    }
    CHECK(target.stop(SIGTERM) == ExitStatus::exited(0));
    fs::remove_all(dir);
}

TEST_CASE("demo target --tls writes faultline-demo-ca.pem to the working directory by default", "[socket]") {
    const fs::path dir = make_temp_dir();
    {
        DemoTarget target(quiet({"--tls"}), dir);
        CHECK(fs::exists(dir / "faultline-demo-ca.pem"));
        std::ifstream in(dir / "faultline-demo-ca.pem");
        std::string first_line;
        std::getline(in, first_line);
        CHECK(first_line == "-----BEGIN CERTIFICATE-----");
    }
    fs::remove_all(dir);
}

TEST_CASE("demo target rejects bad flags with exit code 2", "[socket]") {
    const std::vector<std::vector<std::string>> cases{
        {"--port", "0", "--bogus"},
        {"--latency", "5ms"},  // --port is required
        {"--port", "0", "--latency", "5x"},
        {"--port", "0", "--jitter", "-1ms"},
        {"--port", "0", "--error-rate", "1.5"},
        {"--port", "70000"},
        {"--port", "0", "--threads", "0"},
        {"--port", "0", "--host", "not-an-address"},
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
        CHECK(child.stdout_text().empty());
    }
    ChildProcess help(std::vector<std::string>{FAULTLINE_DEMO_TARGET, "--help"});
    CHECK(help.wait(kMaxTestWait) == ExitStatus::exited(0));
}

TEST_CASE("demo target stops gracefully on SIGTERM and SIGINT", "[socket]") {
    SECTION("idle") {
        DemoTarget target(quiet());
        CHECK(target.stop(SIGTERM) == ExitStatus::exited(0));
        CHECK(target.stderr_after_exit().empty());
    }
    SECTION("with an idle keep-alive connection, which gets closed") {
        DemoTarget target(quiet());
        PlainClient client(target.port());
        REQUIRE(client.get("/").result_int() == 200);
        const auto start = std::chrono::steady_clock::now();
        CHECK(target.stop(SIGINT) == ExitStatus::exited(0));
        // Idle connections are closed at once, not after the 5 s bound for busy ones.
        CHECK(std::chrono::steady_clock::now() - start < 3s);
        CHECK(client.read_error() == http::error::end_of_stream);
        CHECK(target.stderr_after_exit().empty());
    }
    SECTION("with an idle TLS connection, which gets closed") {
        const fs::path dir = make_temp_dir();
        DemoTarget target(quiet({"--tls", "--ca-out", (dir / "ca.pem").string()}));
        ssl::context context = verifying_context(dir / "ca.pem");
        TlsClient client(target.port(), context);
        client.stream().handshake(ssl::stream_base::client);
        REQUIRE(client.get("/").result_int() == 200);
        const auto start = std::chrono::steady_clock::now();
        CHECK(target.stop(SIGTERM) == ExitStatus::exited(0));
        CHECK(std::chrono::steady_clock::now() - start < 3s);
        CHECK(client.read_error());  // the target closes without close_notify: stream_truncated
        CHECK(target.stderr_after_exit().empty());
        fs::remove_all(dir);
    }
    SECTION("a response in progress is finished first, with Connection: close") {
        DemoTarget target(quiet());
        PlainClient client(target.port());
        client.send(make_request(http::verb::get, "/delay/1000"));
        // Give the target time to read the request (1 s of margin before it answers).
        std::this_thread::sleep_for(200ms);
        REQUIRE(target.process().send_signal(SIGTERM));
        const auto res = client.receive();
        CHECK(res.result_int() == 200);
        CHECK_FALSE(res.keep_alive());
        CHECK(client.read_error() == http::error::end_of_stream);
        CHECK(target.wait() == ExitStatus::exited(0));
        CHECK(target.stderr_after_exit().empty());
    }
}
