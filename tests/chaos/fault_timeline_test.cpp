// The fault schedule: exact offsets and the order of events that share an offset.
#include <catch2/catch.hpp>

#include "chaos/fault_timeline.hpp"

using faultline::FaultDecl;
using faultline::chaos::FaultEvent;
using faultline::chaos::fault_timeline;
using namespace std::chrono_literals;

namespace {

FaultDecl fault(faultline::Duration at, faultline::Duration duration) {
    FaultDecl f;
    f.at = at;
    f.duration = duration;
    return f;
}

constexpr auto apply = FaultEvent::Action::apply;
constexpr auto revert = FaultEvent::Action::revert;

}  // namespace

TEST_CASE("chaos timeline: each fault is applied at `at` and reverted at `at + duration`, sorted by offset") {
    const std::vector<FaultDecl> faults{fault(60s, 20s), fault(10s, 100s), fault(70s, 5s)};
    const std::vector<FaultEvent> expected{
        {10s, 1, apply}, {60s, 0, apply}, {70s, 2, apply}, {75s, 2, revert}, {80s, 0, revert}, {110s, 1, revert}};
    CHECK(fault_timeline(faults) == expected);
}

TEST_CASE("chaos timeline: at the same offset reverts come before applies") {
    // Fault 1 starts exactly when fault 0 ends; fault 2 starts at the same time as fault 1.
    const std::vector<FaultDecl> faults{fault(1s, 2s), fault(3s, 1s), fault(3s, 2s)};
    const std::vector<FaultEvent> expected{
        {1s, 0, apply}, {3s, 0, revert}, {3s, 1, apply}, {3s, 2, apply}, {4s, 1, revert}, {5s, 2, revert}};
    CHECK(fault_timeline(faults) == expected);
}

TEST_CASE("chaos timeline: a zero-duration fault is reverted right after its own apply") {
    // Fault 0 ends at 2s, fault 1 is a zero-length restart at 2s, fault 2 starts at 2s.
    const std::vector<FaultDecl> faults{fault(1s, 1s), fault(2s, 0s), fault(2s, 1s)};
    const std::vector<FaultEvent> expected{
        {1s, 0, apply}, {2s, 0, revert}, {2s, 1, apply}, {2s, 2, apply}, {2s, 1, revert}, {3s, 2, revert}};
    CHECK(fault_timeline(faults) == expected);
}

TEST_CASE("chaos timeline: sub-millisecond offsets are kept exactly and ties keep declaration order") {
    const std::vector<FaultDecl> faults{fault(1500us, 250us), fault(1500us, 250us), fault(0s, 1750us)};
    const std::vector<FaultEvent> expected{{0s, 2, apply},       {1500us, 0, apply},  {1500us, 1, apply},
                                           {1750us, 0, revert}, {1750us, 1, revert}, {1750us, 2, revert}};
    CHECK(fault_timeline(faults) == expected);
    CHECK(fault_timeline({}).empty());
}

TEST_CASE("chaos timeline: negative offsets and durations are clamped to zero") {
    const std::vector<FaultDecl> faults{fault(-1s, -1s)};
    const std::vector<FaultEvent> expected{{0s, 0, apply}, {0s, 0, revert}};
    CHECK(fault_timeline(faults) == expected);
}
