#include <catch2/catch.hpp>

#include "driver/live_intervals.hpp"
#include "reports/hdr_codec.hpp"

using namespace faultline;
using namespace std::chrono_literals;

namespace {

ClosedInterval piece(std::int64_t index, std::uint64_t requests, std::int64_t latency_us, int status = 200) {
    ClosedInterval c;
    c.index = index;
    c.requests = requests;
    c.status_codes = {{status, requests}};
    Histogram h = Histogram::latency_us();
    for (std::uint64_t i = 0; i < requests; ++i) h.record(latency_us);
    c.hdr_compressed = encode_compressed(h);
    return c;
}

}  // namespace

TEST_CASE("an interval is handed over only once every worker has closed it, merged exactly") {
    LiveIntervals live(2, 250ms);
    live.publish(piece(0, 10, 1000));
    CHECK(live.take_complete().empty());  // worker 1 has not closed interval 0 yet
    live.publish(piece(1, 5, 2000));
    live.publish(piece(0, 30, 9000, 503));
    auto done = live.take_complete();
    REQUIRE(done.size() == 1);
    CHECK(done[0].t_s == 0);
    CHECK(done[0].requests == 40);
    CHECK(done[0].responses == 40);
    CHECK(done[0].status_codes == std::vector<std::pair<int, std::uint64_t>>{{200, 10}, {503, 30}});
    // 30 of 40 at 9 ms: the P99 is the other worker's figure, exactly as in one histogram.
    CHECK(done[0].p99_ms == Approx(9.0).epsilon(0.001));
    CHECK(done[0].p50_ms == Approx(9.0).epsilon(0.001));
    CHECK(live.take_complete().empty());  // each interval is handed over once
    live.publish(piece(1, 5, 2000));
    done = live.take_complete();
    REQUIRE(done.size() == 1);
    CHECK(done[0].t_s == Approx(0.25));
    CHECK(done[0].requests == 10);
}

TEST_CASE("intervals are handed over in order even when a later one completes first") {
    LiveIntervals live(2, 1s);
    live.publish(piece(0, 1, 1000));
    live.publish(piece(1, 1, 1000));
    live.publish(piece(1, 1, 1000));  // interval 1 is complete, interval 0 is not
    CHECK(live.take_complete().empty());
    live.publish(piece(0, 1, 1000));
    const auto done = live.take_complete();
    REQUIRE(done.size() == 2);
    CHECK(done[0].t_s == 0);
    CHECK(done[1].t_s == 1);
}
