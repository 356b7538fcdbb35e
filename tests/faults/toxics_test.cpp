// Every toxic driven through a Link on the manual clock: exact release times and pacing.
#include <catch2/catch.hpp>

#include "tests/faults/support/link_harness.hpp"

using namespace std::chrono_literals;
using faultline::test::LinkHarness;
using std::chrono::milliseconds;

TEST_CASE("latency releases each chunk at its read time plus the latency") {
    LinkHarness h;
    h.start({LinkHarness::toxic("lat", "latency", {{"latency", 100}})});
    h.feed("a");
    h.advance(30ms);
    h.feed("b");
    h.advance(69ms);
    CHECK(h.pieces() == 0);
    h.advance(1ms);
    REQUIRE(h.pieces() == 1);
    CHECK(h.outputs[0].at == milliseconds(100));
    h.advance(30ms);
    REQUIRE(h.pieces() == 2);
    CHECK(h.outputs[1].at == milliseconds(130));  // not throttled: b waited in the queue
    CHECK(h.received() == "ab");
}

TEST_CASE("stacked latency toxics add up") {
    LinkHarness h;
    h.start({LinkHarness::toxic("l1", "latency", {{"latency", 500}}), LinkHarness::toxic("l2", "latency", {{"latency", 500}})});
    h.feed("x");
    h.advance(999ms);
    CHECK(h.pieces() == 0);
    h.advance(1ms);
    REQUIRE(h.pieces() == 1);
    CHECK(h.outputs[0].at == milliseconds(1000));
}

TEST_CASE("latency jitter stays between latency - jitter and latency + jitter") {
    LinkHarness h(42);
    h.start({LinkHarness::toxic("l", "latency", {{"latency", 100}, {"jitter", 20}})});
    for (int i = 0; i < 50; ++i) {
        h.feed("x");
        h.advance(200ms);
    }
    REQUIRE(h.pieces() == 50);
    for (std::size_t i = 0; i < h.outputs.size(); ++i) {
        const auto delay = h.outputs[i].at - milliseconds(200 * static_cast<int>(i));
        CHECK(delay >= 80ms);
        CHECK(delay < 120ms);
    }
}

TEST_CASE("removing a latency toxic flushes held chunks at once, in order") {
    LinkHarness h;
    h.start({LinkHarness::toxic("lat", "latency", {{"latency", 1000}})});
    h.feed("1");
    h.feed("2");
    h.feed("3");
    h.advance(10ms);
    h.link->remove("lat");
    h.settle();
    CHECK(h.received() == "123");
    h.settle();
    CHECK(h.link->stage_count() == 1);  // unlinked once drained
    h.feed("4");
    CHECK(h.received() == "1234");
}

TEST_CASE("bandwidth paces 480 KB at 1000 KB/s to 480 ms") {
    LinkHarness h;
    h.start({LinkHarness::toxic("bw", "bandwidth", {{"rate", 1000}})});
    std::string payload;
    for (int i = 0; i < 480000; ++i) payload += static_cast<char>('a' + i % 26);
    std::size_t fed = 0;
    while (fed < payload.size()) {
        const auto n = std::min<std::size_t>(32768, payload.size() - fed);
        if (h.feed(payload.substr(fed, n))) fed += n;
        else h.advance(1ms);
    }
    while (h.received().size() < payload.size() && h.clock.elapsed() < 2s) h.advance(1ms);
    CHECK(h.received() == payload);
    // The last chunk leaves when the whole budget (480 ms) has been spent.
    CHECK(h.outputs.back().at == milliseconds(480));
}

TEST_CASE("bandwidth splits chunks larger than 100 ms of data into 100 ms pieces") {
    LinkHarness h;
    h.start({LinkHarness::toxic("bw", "bandwidth", {{"rate", 1}})});  // 100 bytes per 100 ms
    h.feed(std::string(250, 'z'));
    h.advance(100ms);
    REQUIRE(h.pieces() == 1);
    CHECK(h.outputs[0].data.size() == 100);
    h.advance(100ms);
    REQUIRE(h.pieces() == 2);
    h.advance(49ms);
    CHECK(h.pieces() == 2);
    h.advance(1ms);  // the last 50 bytes: 50 ms
    REQUIRE(h.pieces() == 3);
    CHECK(h.outputs[2].at == milliseconds(250));
}

TEST_CASE("bandwidth rate 0 freezes the link without losing data") {
    LinkHarness h;
    h.start({LinkHarness::toxic("bw", "bandwidth", {{"rate", 0}})});
    h.feed("held");
    h.advance(10s);
    CHECK(h.pieces() == 0);
    h.link->remove("bw");
    h.settle();
    CHECK(h.received() == "held");
}

TEST_CASE("slow_close forwards data at once and the close after the delay") {
    LinkHarness h;
    h.start({LinkHarness::toxic("sc", "slow_close", {{"delay", 200}})});
    h.feed("data");
    CHECK(h.received() == "data");
    h.feed_eof();
    h.advance(199ms);
    CHECK_FALSE(h.ended);
    h.advance(1ms);
    CHECK(h.ended);
    CHECK(h.end_kind == faultline::faults::EndKind::half);
}

TEST_CASE("timeout drops data and closes after the timeout without data") {
    LinkHarness h;
    h.start({LinkHarness::toxic("t", "timeout", {{"timeout", 100}})});
    h.feed("dropped");
    h.advance(60ms);
    h.feed("dropped too");  // restarts the timer
    h.advance(99ms);
    CHECK_FALSE(h.ended);
    h.advance(1ms);
    CHECK(h.ended);
    CHECK(h.end_kind == faultline::faults::EndKind::full);
    CHECK(h.received().empty());
}

TEST_CASE("timeout 0 holds forever, removing it closes the connection") {
    LinkHarness h;
    h.start({LinkHarness::toxic("t", "timeout", {{"timeout", 0}})});
    h.feed("x");
    h.advance(60s);
    CHECK_FALSE(h.ended);
    h.link->remove("t");
    h.settle();
    CHECK(h.ended);
    CHECK(h.end_kind == faultline::faults::EndKind::full);
    CHECK(h.received().empty());
}

TEST_CASE("reset_peer resets the connection timeout ms after the first chunk") {
    LinkHarness h;
    h.start({LinkHarness::toxic("r", "reset_peer", {{"timeout", 100}})});
    h.advance(500ms);
    CHECK_FALSE(h.reset);  // waits for data
    h.feed("x");
    h.advance(99ms);
    CHECK_FALSE(h.reset);
    h.advance(1ms);
    CHECK(h.reset);
    CHECK(h.received().empty());
}

TEST_CASE("toxicity 0 makes a toxic pass data through") {
    LinkHarness h;
    h.start({LinkHarness::toxic("r", "reset_peer", {{"timeout", 0}}, 0.0f)});
    h.feed("x");
    h.advance(10ms);
    CHECK_FALSE(h.reset);
    CHECK(h.received() == "x");
}

TEST_CASE("slicer piece counts") {
    SECTION("average 1, variation 0: one byte per piece") {
        LinkHarness h;
        h.start({LinkHarness::toxic("s", "slicer", {{"average_size", 1}, {"delay", 10}})});
        h.feed(std::string(24, 'q'));
        h.advance(1ms);
        CHECK(h.pieces() == 24);
        CHECK(h.received() == std::string(24, 'q'));
    }
    SECTION("average 1024, variation 512 on 480 KB") {
        LinkHarness h(7);
        h.start({LinkHarness::toxic("s", "slicer", {{"average_size", 1024}, {"size_variation", 512}, {"delay", 10}})});
        std::string payload;
        for (int i = 0; i < 480000; ++i) payload += static_cast<char>(i % 251);
        std::size_t fed = 0;
        while (fed < payload.size()) {
            const auto n = std::min<std::size_t>(32768, payload.size() - fed);
            if (h.feed(payload.substr(fed, n))) fed += n;
            else h.advance(1ms);
        }
        h.advance(1s);
        CHECK(h.received() == payload);
        CHECK(h.pieces() >= 240);
        CHECK(h.pieces() <= 720);
    }
}

TEST_CASE("limit_data cuts exactly at the limit, then closes") {
    auto run = [](std::vector<std::size_t> chunks) {
        LinkHarness h;
        h.start({LinkHarness::toxic("l", "limit_data", {{"bytes", 100}})});
        for (auto n : chunks) h.feed(std::string(n, 'x'));
        return std::pair{h.received().size(), h.ended};
    };
    CHECK(run({50}) == std::pair{std::size_t{50}, false});
    CHECK(run({100}) == std::pair{std::size_t{100}, true});
    CHECK(run({150}) == std::pair{std::size_t{100}, true});
    CHECK(run({25, 25, 25, 25}) == std::pair{std::size_t{100}, true});
    CHECK(run({90, 20}) == std::pair{std::size_t{100}, true});
}

TEST_CASE("limit_data state survives an update") {
    LinkHarness h;
    h.start({LinkHarness::toxic("l", "limit_data", {{"bytes", 100}})});
    h.feed(std::string(60, 'x'));
    h.link->update(LinkHarness::toxic("l", "limit_data", {{"bytes", 80}}));
    h.settle();
    h.feed(std::string(60, 'y'));
    CHECK(h.received().size() == 80);
    CHECK(h.ended);
}

TEST_CASE("limit_data 0 closes on the first data, not before") {
    LinkHarness h;
    h.start({LinkHarness::toxic("l", "limit_data", {{"bytes", 0}})});
    h.advance(1s);
    CHECK_FALSE(h.ended);
    h.feed("x");
    CHECK(h.ended);
    CHECK(h.received().empty());
}

TEST_CASE("noop passes everything, eof included") {
    LinkHarness h;
    h.start({LinkHarness::toxic("n", "noop")});
    h.feed("abc");
    h.feed_eof();
    CHECK(h.received() == "abc");
    CHECK(h.ended);
}

TEST_CASE("toxics added and removed mid-stream lose and reorder nothing") {
    LinkHarness h(3);
    h.start();
    std::string expected;
    for (int i = 0; i < 2000; ++i) {
        const std::string piece = std::to_string(i) + ",";
        expected += piece;
        while (!h.feed(piece)) h.advance(1ms);
        if (i % 3 == 0) h.link->add(LinkHarness::toxic("lat", "latency", {{"latency", 5}}));
        if (i % 3 == 2) h.link->remove("lat");
        h.settle();
    }
    h.link->remove("lat");
    h.advance(1s);
    CHECK(h.received() == expected);
    CHECK(h.link->stage_count() == 1);
}
