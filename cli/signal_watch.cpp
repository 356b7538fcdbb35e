#include "cli/signal_watch.hpp"

#include <csignal>

namespace faultline {

SignalWatch::SignalWatch() : signals_(io_, SIGINT, SIGTERM) {
    arm();
    thread_ = std::thread([this] { io_.run(); });
}

SignalWatch::~SignalWatch() {
    io_.stop();
    thread_.join();
}

void SignalWatch::on_signal(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    callback_ = std::move(callback);
}

void SignalWatch::arm() {
    signals_.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) return;
        signalled_ = true;
        std::function<void()> callback;
        {
            std::lock_guard lock(mutex_);
            callback = callback_;
        }
        if (callback) callback();
        arm();
    });
}

}  // namespace faultline
