#include "faults/sleep_clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace faultline::faults {

Clock_tp SteadySleepClock::now() const noexcept { return SteadyClock::instance().now(); }

net::awaitable<void> SteadySleepClock::sleep_until(Clock_tp t, net::steady_timer& timer) {
    timer.expires_at(t);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
}

SteadySleepClock& SteadySleepClock::instance() noexcept {
    static SteadySleepClock clock;
    return clock;
}

}  // namespace faultline::faults
