#pragma once
// A Clock that can also wait, so every toxic takes time from one injectable source and unit
// tests can drive the data path on a manual clock with exact release times.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/clock.hpp"

namespace faultline::faults {

namespace net = boost::asio;

class SleepClock : public Clock {
public:
    // Returns once now() >= t, or earlier when someone cancels `timer` (that is how stages
    // are interrupted and queues wake their consumer). The caller re-checks which happened.
    // `timer` belongs to the caller and must not be used by anything else meanwhile.
    virtual net::awaitable<void> sleep_until(Clock_tp t, net::steady_timer& timer) = 0;
};

// The real clock: SteadyClock's time, Asio steady timers for the waits.
class SteadySleepClock final : public SleepClock {
public:
    Clock_tp now() const noexcept override;
    net::awaitable<void> sleep_until(Clock_tp t, net::steady_timer& timer) override;
    static SteadySleepClock& instance() noexcept;
};

}  // namespace faultline::faults
