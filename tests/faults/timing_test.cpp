// Real sockets and the real clock through `faultline proxy` (reference section 5). Tolerance:
// max(10 ms, 10%) + jitter, plus 30 ms for a 2-core shared machine; measured vs expected is
// always logged.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/faults/support/proxy_process.hpp"

namespace net = boost::asio;
using net::ip::tcp;
using namespace std::chrono_literals;
using Ms = std::chrono::milliseconds;

namespace {

constexpr Ms kSlack{30};

void check_elapsed(std::chrono::steady_clock::duration actual, Ms expected, Ms jitter = Ms{0}) {
    const auto tolerance = std::max(Ms{10}, expected / 10) + jitter + kSlack;
    const auto ms = std::chrono::duration_cast<Ms>(actual);
    WARN("measured " << ms.count() << " ms, expected " << expected.count() << " ms +- " << tolerance.count() << " ms");
    CHECK(ms >= expected - tolerance);
    CHECK(ms <= expected + tolerance);
}

struct Setup {
    faultline::test::EchoServer echo;
    faultline::test::ProxyProcess proxy;
    std::uint16_t port = proxy.create_proxy("echo", echo.port());
    net::io_context io;
    tcp::socket connect() {
        tcp::socket s(io);
        s.connect({net::ip::make_address("127.0.0.1"), port});
        s.set_option(tcp::no_delay(true));
        return s;
    }
    void toxic(const std::string& body) { REQUIRE(proxy.call("POST", "/proxies/echo/toxics", body).status == 200); }
};

std::chrono::steady_clock::duration round_trip(tcp::socket& s, std::size_t size) {
    std::string out(size, 'x');
    std::string in(size, '\0');
    const auto start = std::chrono::steady_clock::now();
    net::write(s, net::buffer(out));
    net::read(s, net::buffer(in));
    REQUIRE(in == out);
    return std::chrono::steady_clock::now() - start;
}

}  // namespace

TEST_CASE("latency upstream and downstream and both on a 32 KiB plus 12 byte message", "[timing]") {
    for (auto [up, down] : {std::pair{100, 0}, {0, 100}, {100, 100}}) {
        Setup s;
        if (up) s.toxic(R"({"type":"latency","stream":"upstream","attributes":{"latency":)" + std::to_string(up) + "}}");
        if (down) s.toxic(R"({"type":"latency","stream":"downstream","attributes":{"latency":)" + std::to_string(down) + "}}");
        auto c = s.connect();
        INFO("up " << up << " down " << down);
        check_elapsed(round_trip(c, 32 * 1024 + 12), Ms(up + down));
    }
}

TEST_CASE("stacked latency toxics: 500 + 500 ms upstream", "[timing]") {
    Setup s;
    s.toxic(R"({"name":"a","type":"latency","stream":"upstream","attributes":{"latency":500}})");
    s.toxic(R"({"name":"b","type":"latency","stream":"upstream","attributes":{"latency":500}})");
    auto c = s.connect();
    check_elapsed(round_trip(c, 100), Ms(1000));
}

TEST_CASE("bandwidth: 480 KB at 1000 KB/s takes 480 ms", "[timing]") {
    Setup s;
    s.toxic(R"({"type":"bandwidth","stream":"upstream","attributes":{"rate":1000}})");
    auto c = s.connect();
    check_elapsed(round_trip(c, 480000), Ms(480));
}

TEST_CASE("slicer delivers identical bytes in many pieces", "[timing]") {
    Setup s;
    s.toxic(R"({"type":"slicer","stream":"downstream","attributes":{"average_size":1024,"size_variation":512,"delay":10}})");
    auto c = s.connect();
    const auto elapsed = round_trip(c, 480000);
    WARN("slicer 480 KB round trip " << std::chrono::duration_cast<Ms>(elapsed).count() << " ms");
}

TEST_CASE("reset_peer: the client reads ECONNRESET", "[timing]") {
    Setup s;
    s.toxic(R"({"type":"reset_peer","stream":"upstream","attributes":{"timeout":100}})");
    auto c = s.connect();
    const auto start = std::chrono::steady_clock::now();
    net::write(c, net::buffer(std::string("hello")));
    char buf[16];
    boost::system::error_code ec;
    c.read_some(net::buffer(buf), ec);
    CHECK(ec == net::error::connection_reset);
    check_elapsed(std::chrono::steady_clock::now() - start, Ms(100), Ms(100));
}

TEST_CASE("removing a timeout toxic closes the connection within 1 s", "[timing]") {
    Setup s;
    s.toxic(R"({"name":"t","type":"timeout","stream":"upstream","attributes":{"timeout":0}})");
    auto c = s.connect();
    net::write(c, net::buffer(std::string("swallowed")));
    std::this_thread::sleep_for(50ms);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(s.proxy.call("DELETE", "/proxies/echo/toxics/t").status == 204);
    char buf[16];
    boost::system::error_code ec;
    c.read_some(net::buffer(buf), ec);
    CHECK(ec == net::error::eof);
    CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("limit_data cuts the stream exactly", "[timing]") {
    Setup s;
    s.toxic(R"({"type":"limit_data","stream":"downstream","attributes":{"bytes":100}})");
    auto c = s.connect();
    net::write(c, net::buffer(std::string(150, 'z')));
    std::string in;
    boost::system::error_code ec;
    net::read(c, net::dynamic_buffer(in), ec);
    CHECK(ec == net::error::eof);
    CHECK(in == std::string(100, 'z'));
}

TEST_CASE("no data loss while a latency toxic is added and removed in a loop", "[timing]") {
    Setup s;
    auto c = s.connect();
    std::atomic<bool> done{false};
    std::thread churn([&] {
        while (!done) {
            s.proxy.call("POST", "/proxies/echo/toxics", R"({"name":"l","type":"latency","attributes":{"latency":1}})");
            s.proxy.call("DELETE", "/proxies/echo/toxics/l");
        }
    });
    std::string expected;
    for (unsigned i = 0; i < 65535; ++i) {
        expected += static_cast<char>(i & 0xff);
        expected += static_cast<char>(i >> 8);
    }
    std::thread writer([&] {
        for (std::size_t i = 0; i < expected.size(); i += 2) net::write(c, net::buffer(expected.data() + i, 2));
    });
    std::string in(expected.size(), '\0');
    net::read(c, net::buffer(in));
    writer.join();
    done = true;
    churn.join();
    CHECK(in == expected);
}
