#pragma once
// The fault schedule as a pure function: each FaultDecl becomes an apply event at `at` and a
// revert event at `at + duration`, sorted by offset from the run's origin. No clock, no I/O.
#include <cstddef>
#include <vector>

#include "scenarios/chaos_spec.hpp"

namespace faultline::chaos {

struct FaultEvent {
    enum class Action { apply, revert };
    Duration offset{0};      // from the origin (first intended send after warm-up)
    std::size_t fault = 0;   // index into ChaosSpec::faults
    Action action = Action::apply;
    friend bool operator==(const FaultEvent&, const FaultEvent&) = default;
};

// Sorted by offset. At the same offset, reverts come before applies, so a fault ending
// exactly when the next one starts is gone before the next is added (e.g. a `disabled`
// followed by a partition on the same proxy). The exception is a fault's own revert: a
// zero-duration fault (e.g. `restart` with duration 0) is applied, then reverted, after every
// other event at that offset. Equal keys keep declaration order.
std::vector<FaultEvent> fault_timeline(const std::vector<FaultDecl>& faults);

}  // namespace faultline::chaos
