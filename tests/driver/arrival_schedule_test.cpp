#include "driver/arrival_schedule.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
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

namespace {
using faultline::RateStage;

// Naive reference: integrate the rate in 1 us steps and note when the count passes i.
std::vector<double> reference_offsets_s(const std::vector<RateStage>& stages, double start_rate) {
    std::vector<double> out;
    double t = 0, count = 0, rate_from = start_rate < 0 ? stages.front().rate_per_s : start_rate;
    std::uint64_t next = 0;
    const double dt = 1e-6;
    for (const auto& s : stages) {
        const double d = static_cast<double>(s.duration.count()) / 1e9;
        const auto steps = static_cast<std::int64_t>(std::llround(d / dt));
        for (std::int64_t k = 0; k < steps; ++k) {
            const double tau = static_cast<double>(k) * dt;
            // Midpoint rule: exact for a linear rate, so the reference's own error stays tiny.
            const double r = rate_from + (s.rate_per_s - rate_from) * ((tau + dt / 2) / d);
            while (count >= static_cast<double>(next)) {
                out.push_back(t + tau);
                ++next;
            }
            count += r * dt;
        }
        t += d;
        rate_from = s.rate_per_s;
    }
    return out;
}
}  // namespace

TEST_CASE("a ramp from zero follows N(t) = r t^2 / 2D exactly") {
    // 0 -> 10/s over 10 s: N(t) = t^2 / 2, so arrival i is at sqrt(2i) s.
    ArrivalSchedule s({RateStage{10s, 10.0}}, 0.0, std::nullopt);
    const auto offsets = drain(s);
    REQUIRE(offsets.size() == 50);
    CHECK(offsets[0] == 0s);
    CHECK(offsets[2] == 2s);
    CHECK(offsets[8] == 4s);
    CHECK(offsets[18] == 6s);
    CHECK(offsets[32] == 8s);
}

TEST_CASE("stages ramp from the previous stage's rate and match a numeric integration") {
    const std::vector<RateStage> stages{{3s, 100.0}, {2s, 100.0}, {4s, 20.0}, {1s, 0.0}};
    ArrivalSchedule s(stages, 50.0, std::nullopt);
    CHECK(s.expected_arrivals() == Approx(225 + 200 + 240 + 10));
    const auto offsets = drain(s);
    const auto reference = reference_offsets_s(stages, 50.0);
    REQUIRE(offsets.size() == 675);
    // The reference's summed floating-point count may pass 675 just before the end.
    REQUIRE(reference.size() >= offsets.size());
    REQUIRE(reference.size() <= offsets.size() + 1);
    double worst = 0;
    for (std::size_t i = 0; i < offsets.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(offsets[i].count()) / 1e9 - reference[i]));
    INFO("largest difference from the reference: " << worst * 1e6 << " us");
    CHECK(worst < 5e-6);
}

TEST_CASE("without a start rate the first stage holds its own rate") {
    ArrivalSchedule s({RateStage{2s, 5.0}, RateStage{2s, 5.0}}, -1, std::nullopt);
    const auto offsets = drain(s);
    REQUIRE(offsets.size() == 20);
    for (std::size_t i = 0; i < offsets.size(); ++i) CHECK(offsets[i] == std::chrono::milliseconds(200 * i));
}

TEST_CASE("a zero-rate stage is a pause") {
    ArrivalSchedule s({RateStage{1s, 4.0}, RateStage{1s, 0.0}, RateStage{1s, 0.0}, RateStage{1s, 4.0}}, -1, std::nullopt);
    const auto offsets = drain(s);
    // 4 in the first second, 2 while ramping down, none while paused, 2 while ramping up.
    REQUIRE(offsets.size() == 8);
    CHECK(offsets[0] == 0s);
    CHECK(offsets[4] == 1s);
    for (auto o : offsets) CHECK((o < 2s || o >= 3s));
}

TEST_CASE("ramping schedules interleave across workers exactly") {
    const std::vector<RateStage> stages{{1s, 300.0}, {1s, 10.0}};
    ArrivalSchedule single(stages, 0.0, std::nullopt);
    std::multiset<std::int64_t> want;
    for (auto o : drain(single)) want.insert(o.count());
    std::multiset<std::int64_t> merged;
    for (unsigned w = 0; w < 3; ++w) {
        ArrivalSchedule part(stages, 0.0, std::nullopt, w, 3);
        for (auto o : drain(part)) merged.insert(o.count());
    }
    CHECK(merged == want);
}
