#pragma once
// Watches SIGINT/SIGTERM for the whole of `faultline run`, on its own thread, so a signal
// that arrives while services start or faults are being removed is noticed instead of
// killing faultline half-way (which would leave services running and faults applied).
// During the load itself the driver's own handler also sees the signal and stops the load.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <mutex>
#include <thread>

namespace faultline {

class SignalWatch {
public:
    SignalWatch();
    ~SignalWatch();
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;

    bool signalled() const noexcept { return signalled_.load(); }
    // Set once a signal arrived (RunSettings::interrupt_flag polls it).
    const std::atomic<bool>& flag() const noexcept { return signalled_; }
    // Called (on the watcher thread) for each signal; replaces the previous callback.
    void on_signal(std::function<void()> callback);

private:
    void arm();

    boost::asio::io_context io_;
    boost::asio::signal_set signals_;
    std::atomic<bool> signalled_{false};
    std::mutex mutex_;
    std::function<void()> callback_;
    std::thread thread_;
};

}  // namespace faultline
