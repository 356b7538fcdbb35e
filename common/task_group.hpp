#pragma once
// Owns the coroutines a worker spawns: counts the live ones and keeps the first exception,
// so no coroutine is detached and a failure inside one is re-thrown by the owner instead of
// being lost. Single-threaded: use from the io_context thread that runs the tasks.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <exception>
#include <utility>

namespace faultline {

class TaskGroup {
public:
    template <class ExecutionContext>
    void spawn(ExecutionContext& context, boost::asio::awaitable<void> task) {
        ++live_;
        boost::asio::co_spawn(context, std::move(task), [this](std::exception_ptr e) {
            --live_;
            if (e && !first_error_) first_error_ = e;
        });
    }
    std::size_t live() const noexcept { return live_; }
    // Re-throws the first exception a task ended with, if any.
    void rethrow_if_failed() const {
        if (first_error_) std::rethrow_exception(first_error_);
    }

private:
    std::size_t live_ = 0;
    std::exception_ptr first_error_;
};

}  // namespace faultline
