#include "chaos/fault_timeline.hpp"

#include <algorithm>
#include <tuple>

namespace faultline::chaos {

namespace {

// Order of events sharing an offset: reverts of earlier faults, then applies, then the
// reverts of zero-duration faults (which must follow their own apply).
int phase(const FaultEvent& e, const std::vector<FaultDecl>& faults) {
    if (e.action == FaultEvent::Action::apply) return 1;
    return faults[e.fault].duration <= Duration::zero() ? 2 : 0;
}

}  // namespace

std::vector<FaultEvent> fault_timeline(const std::vector<FaultDecl>& faults) {
    std::vector<FaultEvent> events;
    events.reserve(faults.size() * 2);
    for (std::size_t i = 0; i < faults.size(); ++i) {
        const auto start = std::max(faults[i].at, Duration::zero());
        const auto length = std::max(faults[i].duration, Duration::zero());
        events.push_back({start, i, FaultEvent::Action::apply});
        events.push_back({start + length, i, FaultEvent::Action::revert});
    }
    std::stable_sort(events.begin(), events.end(), [&](const FaultEvent& a, const FaultEvent& b) {
        return std::tuple(a.offset, phase(a, faults), a.fault) < std::tuple(b.offset, phase(b, faults), b.fault);
    });
    return events;
}

}  // namespace faultline::chaos
