#include "tests/faults/support/manual_clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace faultline::test {

namespace net = boost::asio;

net::awaitable<void> ManualClock::sleep_until(Clock_tp t, net::steady_timer& timer) {
    if (t <= now_) co_return;
    auto it = sleepers_.emplace(t, &timer);
    timer.expires_at(Clock_tp::max());
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    sleepers_.erase(it);
}

void ManualClock::advance(Duration d) {
    const Clock_tp target = now_ + d;
    settle();
    while (!sleepers_.empty() && sleepers_.begin()->first <= target) {
        now_ = std::max(now_, sleepers_.begin()->first);
        for (auto it = sleepers_.begin(); it != sleepers_.end() && it->first <= now_; ++it) it->second->cancel();
        settle();
    }
    now_ = target;
    settle();
}

}  // namespace faultline::test
