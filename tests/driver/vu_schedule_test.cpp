#include "driver/vu_schedule.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using faultline::VuSchedule;

TEST_CASE("a constant stage keeps every VU active until it ends") {
    VuSchedule s({{10s, 4}}, -1);
    CHECK(s.max_vus() == 4);
    CHECK(s.end() == 10s);
    for (int vu = 0; vu < 4; ++vu) {
        CHECK(s.active(vu, 0s));
        CHECK(s.next_start(vu, 0s) == std::optional<std::chrono::nanoseconds>(0s));
    }
    CHECK_FALSE(s.active(4, 5s));
    CHECK_FALSE(s.next_start(4, 0s));
    CHECK_FALSE(s.active(0, 10s));
}

TEST_CASE("ramping up starts VU k when the target reaches k + 1") {
    VuSchedule s({{10s, 10}, {5s, 10}, {5s, 0}}, 0);
    CHECK(s.next_start(0, 0s) == std::optional<std::chrono::nanoseconds>(1s));
    CHECK(s.next_start(4, 0s) == std::optional<std::chrono::nanoseconds>(5s));
    CHECK(s.next_start(9, 0s) == std::optional<std::chrono::nanoseconds>(10s));
    CHECK(s.target_at(12s) == 10.0);
    // Ramping down: VU 9 needs 10, which only holds at the ramp's very start.
    CHECK(s.active(9, 14s));
    CHECK_FALSE(s.active(9, 16s));
    CHECK(s.active(0, 19s));  // target 2 at 19 s
    CHECK_FALSE(s.next_start(9, 16s));
    CHECK(s.target_at(20s) == 0.0);
}

TEST_CASE("a later ramp brings a stopped VU back") {
    VuSchedule s({{2s, 2}, {2s, 1}, {2s, 3}}, -1);
    CHECK(s.active(1, 1s));
    CHECK_FALSE(s.active(1, 3s));
    CHECK(s.next_start(1, 3500ms) == std::optional<std::chrono::nanoseconds>(4s + 1000ms));
    CHECK_FALSE(s.next_start(2, 0s));  // the target reaches 3 only as the last stage ends
}
