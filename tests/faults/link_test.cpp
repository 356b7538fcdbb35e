// The data path's building blocks on the manual clock: when a Link reports idle() (the
// condition for the socket reader's fast path), and the chunk buffer pool.
#include <catch2/catch.hpp>

#include "faults/chunk.hpp"
#include "tests/faults/support/link_harness.hpp"

using faultline::test::LinkHarness;

TEST_CASE("Link::idle: only with no toxic and nothing queued or held") {
    LinkHarness h;
    h.start();
    CHECK(h.link->idle());
    h.link->add(LinkHarness::toxic("lat", "latency", {{"latency", 100}}));
    CHECK_FALSE(h.link->idle());
    h.feed("a");
    h.link->remove("lat");
    CHECK_FALSE(h.link->idle());  // being removed: still in the chain until drained
    h.settle();
    CHECK(h.received() == "a");
    CHECK(h.link->stage_count() == 1);
    CHECK(h.link->idle());
    h.link->abort();
    CHECK_FALSE(h.link->idle());
}

TEST_CASE("ChunkPool reuses chunk-sized buffers and drops others") {
    using faultline::faults::ChunkPool;
    using faultline::faults::kChunkSize;
    std::string a = ChunkPool::take();
    CHECK(a.capacity() >= kChunkSize);
    a.assign(100, 'x');
    const char* storage = a.data();
    const auto spare = ChunkPool::spare();
    ChunkPool::give(std::move(a));
    CHECK(ChunkPool::spare() == spare + 1);
    std::string b = ChunkPool::take();
    CHECK(b.empty());
    CHECK(b.data() == storage);  // the same allocation, no new one
    ChunkPool::give(std::string("small"));  // a slicer piece: not kept
    CHECK(ChunkPool::spare() == spare);
    ChunkPool::give(std::move(b));
}
