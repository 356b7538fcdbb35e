#pragma once
// A SleepClock whose time moves only when a test says so. advance() steps through every
// sleeper's deadline in order and runs the io_context at each step, so a toxic observes
// exactly the time it asked for (release times are exact, not approximately right).
#include <boost/asio/io_context.hpp>
#include <map>

#include "faults/sleep_clock.hpp"

namespace faultline::test {

class ManualClock final : public faults::SleepClock {
public:
    explicit ManualClock(boost::asio::io_context& io) : io_(io) {}
    Clock_tp now() const noexcept override { return now_; }
    boost::asio::awaitable<void> sleep_until(Clock_tp t, boost::asio::steady_timer& timer) override;
    // Moves time forward by d, waking sleepers at their deadlines.
    void advance(Duration d);
    // Runs ready work without moving time.
    void settle() { io_.poll(); io_.restart(); }
    Duration elapsed() const noexcept { return now_ - Clock_tp{}; }

private:
    boost::asio::io_context& io_;
    Clock_tp now_{};
    std::multimap<Clock_tp, boost::asio::steady_timer*> sleepers_;
};

}  // namespace faultline::test
