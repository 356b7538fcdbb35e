// The data path's fast path (docs/fault-proxy.md, "Performance"): with no toxic on a link a
// chunk goes straight from the reader to the destination socket; once a toxic is added the
// next chunk goes through the link's queues. These tests prove the switch in both directions
// loses, duplicates and reorders nothing, and that a toxic added while data flows through the
// fast path applies. Real sockets on 127.0.0.1, the engine embedded so its counters can be
// read. Every wait is bounded; nothing here asserts on time.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <atomic>
#include <thread>

#include "tests/faults/support/embedded_proxy.hpp"
#include "tests/faults/support/proxy_process.hpp"

namespace net = boost::asio;
using net::ip::tcp;
using namespace std::chrono_literals;
using faultline::test::EmbeddedProxy;
using faultline::test::EchoServer;

namespace {

constexpr int kUp = 0;    // Direction::upstream
constexpr int kDown = 1;  // Direction::downstream

struct Setup {
    EchoServer echo;
    EmbeddedProxy proxy;
    std::uint16_t port = proxy.create_proxy("echo", echo.port());
    net::io_context io;
    tcp::socket connect() {
        tcp::socket s(io);
        s.connect({net::ip::make_address("127.0.0.1"), port});
        s.set_option(tcp::no_delay(true));
        return s;
    }
    void toxic(const std::string& body) {
        auto reply = proxy.call("POST", "/proxies/echo/toxics", body);
        INFO(reply.body);
        REQUIRE(reply.status == 200);
    }
    void remove(const std::string& name) { REQUIRE(proxy.call("DELETE", "/proxies/echo/toxics/" + name).status == 204); }
    faultline::faults::ProxyStats stats() { return proxy.stats("echo"); }
};

std::string echo_round_trip(tcp::socket& s, const std::string& message) {
    net::write(s, net::buffer(message));
    std::string in(message.size(), '\0');
    net::read(s, net::buffer(in));
    return in;
}

// `count` 4-byte little-endian counters: a lost, doubled or swapped piece shows.
std::string sequence(std::size_t count) {
    std::string out;
    out.reserve(count * 4);
    for (std::uint32_t i = 0; i < count; ++i)
        for (int b = 0; b < 4; ++b) out += static_cast<char>((i >> (8 * b)) & 0xff);
    return out;
}

// Waits (bounded) until `done` holds for the proxy's counters.
template <class Pred>
faultline::faults::ProxyStats wait_for_stats(Setup& s, Pred done) {
    auto st = s.stats();
    for (int i = 0; i < 500 && !done(st); ++i) {
        std::this_thread::sleep_for(10ms);
        st = s.stats();
    }
    return st;
}

}  // namespace

TEST_CASE("fast path: with no toxics every chunk is written directly and the byte counters match", "[socket]") {
    Setup s;
    auto c = s.connect();
    std::size_t bytes = 0;
    for (int i = 0; i < 200; ++i) {
        const std::string message = "ping " + std::to_string(i);
        REQUIRE(echo_round_trip(c, message) == message);
        bytes += message.size();
    }
    const std::string big(300 * 1024, 'b');  // several 32 KiB chunks, and writes that may not fit at once
    REQUIRE(echo_round_trip(c, big) == big);
    bytes += big.size();
    const auto st = s.stats();
    CHECK(st.queued_chunks[kUp] == 0);
    CHECK(st.queued_chunks[kDown] == 0);
    CHECK(st.direct_chunks[kUp] >= 200);
    CHECK(st.direct_chunks[kDown] >= 200);
    for (int d : {kUp, kDown}) {
        CHECK(st.received_bytes[d] == bytes);
        CHECK(st.sent_bytes[d] == bytes);
    }
    const auto metrics = s.proxy.call("GET", "/metrics").body;
    CHECK(metrics.find("toxiproxy_proxy_sent_bytes_total{direction=\"upstream\",listener=\"127.0.0.1:" +
                       std::to_string(s.port) + "\",proxy=\"echo\",upstream=\"127.0.0.1:" +
                       std::to_string(s.echo.port()) + "\"} " + std::to_string(bytes)) != std::string::npos);
}

TEST_CASE("fast path: limit_data added after direct traffic cuts the very next bytes exactly", "[socket]") {
    Setup s;
    auto c = s.connect();
    for (int i = 0; i < 20; ++i) REQUIRE(echo_round_trip(c, "hello") == "hello");
    REQUIRE(s.stats().direct_chunks[kDown] >= 20);
    s.toxic(R"({"type":"limit_data","stream":"downstream","attributes":{"bytes":10}})");
    net::write(c, net::buffer(std::string("0123456789abcde")));
    std::string in;
    boost::system::error_code ec;
    net::read(c, net::dynamic_buffer(in), ec);
    CHECK(ec == net::error::eof);
    CHECK(in == "0123456789");
    CHECK(s.stats().queued_chunks[kDown] >= 1);
}

TEST_CASE("fast path: a timeout toxic added after direct traffic swallows the next chunk; removing it closes",
          "[socket]") {
    Setup s;
    auto c = s.connect();
    REQUIRE(echo_round_trip(c, "before") == "before");
    const auto before = s.stats();
    s.toxic(R"({"name":"t","type":"timeout","stream":"upstream","attributes":{"timeout":0}})");
    net::write(c, net::buffer(std::string("swallowed")));
    const auto st = wait_for_stats(s, [&](const auto& x) { return x.received_bytes[kUp] >= before.received_bytes[kUp] + 9; });
    REQUIRE(st.received_bytes[kUp] == before.received_bytes[kUp] + 9);
    CHECK(st.sent_bytes[kUp] == before.sent_bytes[kUp]);  // read, then dropped by the toxic
    CHECK(st.queued_chunks[kUp] >= 1);
    s.remove("t");
    char buf[16];
    boost::system::error_code ec;
    c.read_some(net::buffer(buf), ec);
    CHECK(ec == net::error::eof);
}

TEST_CASE("fast path: toxics added and removed while data streams lose or reorder nothing", "[socket]") {
    Setup s;
    auto c = s.connect();
    const std::string stream = sequence(2'000'000);  // at most 8 MB each way
    std::atomic<bool> done{false};
    std::atomic<int> rounds{0};
    std::thread churn([&] {
        // Both directions; latency holds chunks in a 1024-deep queue, slicer re-cuts them, and
        // both are removed while holding data. Bounded; ends with the transfer.
        for (int round = 0; !done && round < 100'000; ++round) {
            const char* direction = round % 2 ? "upstream" : "downstream";
            const std::string name = std::string("t") + direction;
            if (round % 4 < 2)
                s.proxy.call("POST", "/proxies/echo/toxics",
                             R"({"name":")" + name + R"(","type":"latency","stream":")" + direction +
                                 R"(","attributes":{"latency":1}})");
            else
                s.proxy.call("POST", "/proxies/echo/toxics",
                             R"({"name":")" + name + R"(","type":"slicer","stream":")" + direction +
                                 R"(","attributes":{"average_size":300,"size_variation":100,"delay":0}})");
            std::this_thread::sleep_for(1ms);
            s.proxy.call("DELETE", "/proxies/echo/toxics/" + name);
            ++rounds;
            std::this_thread::sleep_for(1ms);
        }
    });
    std::size_t sent = 0;
    std::thread writer([&] {
        // Uneven pieces with pauses, so chunk boundaries fall everywhere and the stream
        // outlasts 40 add/remove rounds (or reaches the size cap). Then a half-close, which
        // the proxy and the echo server pass back as EOF once everything is echoed.
        for (std::size_t i = 0; sent < stream.size() && (rounds < 40 || sent < 256 * 1024); ++i) {
            const std::size_t n = std::min<std::size_t>(stream.size() - sent, 1 + (i * 7919) % 4000);
            net::write(c, net::buffer(stream.data() + sent, n));
            sent += n;
            std::this_thread::sleep_for(100us);
        }
        c.shutdown(tcp::socket::shutdown_send);
    });
    std::string in;
    boost::system::error_code ec;
    net::read(c, net::dynamic_buffer(in), ec);
    writer.join();
    done = true;
    churn.join();
    CHECK(ec == net::error::eof);
    INFO("sent " << sent << " bytes during " << rounds << " add/remove rounds");
    REQUIRE(in.size() == sent);
    CHECK(in == stream.substr(0, sent));
    const auto st = s.stats();
    INFO("direct " << st.direct_chunks[kUp] << "/" << st.direct_chunks[kDown] << ", queued " << st.queued_chunks[kUp]
                   << "/" << st.queued_chunks[kDown]);
    // Both paths were used in both directions, so the switches between them were exercised.
    CHECK(st.direct_chunks[kUp] > 0);
    CHECK(st.direct_chunks[kDown] > 0);
    CHECK(st.queued_chunks[kUp] > 0);
    CHECK(st.queued_chunks[kDown] > 0);
}
