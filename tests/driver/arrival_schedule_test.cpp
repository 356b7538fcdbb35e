#include "driver/arrival_schedule.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <vector>

using namespace std::chrono_literals;
using faultline::ArrivalSchedule;

namespace {
std::vector<std::chrono::nanoseconds> drain(ArrivalSchedule& s) {
    std::vector<std::chrono::nanoseconds> out;
    while (auto o = s.next()) out.push_back(*o);
    return out;
}
}  // namespace

TEST_CASE("constant rate intends arrival i at i/rate") {
    ArrivalSchedule s(4.0, 1s, std::nullopt);
    const auto offsets = drain(s);
    REQUIRE(offsets == std::vector<std::chrono::nanoseconds>{0ms, 250ms, 500ms, 750ms});
}

TEST_CASE("the schedule does not drift over long runs") {
    ArrivalSchedule s(3.0, 3600s, std::nullopt);
    const auto offsets = drain(s);
    REQUIRE(offsets.size() == 3u * 3600u);
    // 1/3 s is not representable in ns; computing each offset from its index keeps the last
    // one within half a nanosecond of exact, where accumulating would drift.
    CHECK(offsets.back() == std::chrono::nanoseconds(3599'666'666'667));
    CHECK(offsets[3] == 1s);
}

TEST_CASE("a request cap ends the schedule exactly") {
    ArrivalSchedule s(1000.0, std::nullopt, 17);
    CHECK(drain(s).size() == 17);
    ArrivalSchedule both(1000.0, 10ms, 1000);
    CHECK(drain(both).size() == 10);  // the duration comes first
}

TEST_CASE("workers interleave into exactly the single-worker schedule") {
    ArrivalSchedule single(700.0, 2s, 1001);
    const auto expected = drain(single);
    for (unsigned workers : {2u, 3u, 7u}) {
        std::multiset<std::int64_t> merged;
        for (unsigned w = 0; w < workers; ++w) {
            ArrivalSchedule part(700.0, 2s, 1001, w, workers);
            for (auto o : drain(part)) merged.insert(o.count());
        }
        std::multiset<std::int64_t> want;
        for (auto o : expected) want.insert(o.count());
        INFO("workers " << workers);
        CHECK(merged == want);
    }
}
