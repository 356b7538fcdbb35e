#include "reports/interval_series.hpp"

#include <catch2/catch.hpp>

#include "reports/hdr_codec.hpp"

using namespace std::chrono_literals;
using faultline::ClosedInterval;
using faultline::Clock_tp;
using faultline::IntervalSeries;
using faultline::Outcome;

namespace {
const Clock_tp t0{std::chrono::seconds(1000)};
}

TEST_CASE("requests count in the interval of their intended time, not their completion") {
    IntervalSeries s(t0, 1s);
    s.on_issued(t0 + 900ms);
    s.on_issued(t0 + 1100ms);
    // The first request completes late, in interval 1's time: it still belongs to interval 0.
    s.on_completed(t0 + 900ms, Outcome::success, 200, 2'500'000);
    s.on_completed(t0 + 1100ms, Outcome::http_5xx, 503, 1000);
    s.close_all();
    const auto& c = s.closed();
    REQUIRE(c.size() == 2);
    CHECK(c[0].index == 0);
    CHECK(c[0].requests == 1);
    auto h0 = faultline::decode_compressed(c[0].hdr_compressed);
    CHECK(h0.total_count() == 1);
    CHECK(h0.max() == h0.highest_equivalent(2'500'000));
    CHECK(c[1].errors[Outcome::http_5xx] == 1);
    CHECK(c[1].status_codes == std::vector<std::pair<int, std::uint64_t>>{{503, 1}});
}

TEST_CASE("an interval closes only once issuing moved past it and nothing in it is outstanding") {
    IntervalSeries s(t0, 1s);
    s.on_issued(t0 + 100ms);
    s.on_issued(t0 + 1500ms);
    s.close_ready();
    CHECK(s.closed().empty());  // interval 0 still has an outstanding request
    s.on_completed(t0 + 100ms, Outcome::timeout, 0, -1);
    s.close_ready();
    REQUIRE(s.closed().size() == 1);
    CHECK(s.closed()[0].errors[Outcome::timeout] == 1);
    // Interval 1 is where issuing is now: it stays open even with nothing outstanding.
    s.on_completed(t0 + 1500ms, Outcome::success, 200, 10);
    s.close_ready();
    CHECK(s.closed().size() == 1);
    s.on_issued(t0 + 2001ms);
    s.close_ready();
    CHECK(s.closed().size() == 2);
}

TEST_CASE("dropped arrivals count as errors of their interval without a request") {
    IntervalSeries s(t0, 250ms);
    s.on_dropped(t0 + 600ms);
    s.close_all();
    REQUIRE(s.closed().size() == 3);  // intervals 0 and 1 open on the way to 2
    CHECK(s.closed()[2].errors[Outcome::dropped] == 1);
    CHECK(s.closed()[2].requests == 0);
    CHECK(s.closed()[0].errors.total() == 0);
}

TEST_CASE("a long run keeps a bounded number of open intervals") {
    IntervalSeries s(t0, 1s);
    for (int sec = 0; sec < 600; ++sec) {
        const Clock_tp t = t0 + std::chrono::seconds(sec) + 10ms;
        s.on_issued(t);
        s.on_completed(t, Outcome::success, 200, 1000 + sec);
        s.close_ready();
    }
    CHECK(s.closed().size() == 599);
    s.close_all();
    REQUIRE(s.closed().size() == 600);
    for (std::size_t i = 0; i < s.closed().size(); ++i) CHECK(s.closed()[i].index == static_cast<std::int64_t>(i));
}
