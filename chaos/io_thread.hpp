#pragma once
// An io_context with its own thread, alive from construction to stop(). run_sync() runs a
// function on that thread and waits for its result, which is how single-threaded objects
// (the proxy registry, the fault runner) are used from other threads.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <type_traits>

namespace faultline::chaos {

namespace net = boost::asio;

class IoThread {
public:
    IoThread()
        : thread_([this] {
              io_.run();
              ended_.set_value();
          }) {}
    ~IoThread() { stop(); }
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;

    net::io_context& context() noexcept { return io_; }
    bool on_thread() const noexcept { return std::this_thread::get_id() == thread_.get_id(); }

    // Runs `f` on the thread (directly when already on it) and returns its result or
    // rethrows its exception. Must not be called after stop().
    template <class F>
    auto run_sync(F&& f) -> std::invoke_result_t<F&> {
        if (on_thread()) return f();
        std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(f));
        auto result = task.get_future();
        net::post(io_, [&task] { task(); });
        return result.get();
    }

    // Lets the loop run out of work (sockets closing, coroutines ending) for up to `drain`,
    // then stops it and joins. Idempotent; not from the thread itself.
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(2000)) {
        if (!thread_.joinable()) return;
        work_.reset();
        if (ended_future_.wait_for(drain) != std::future_status::ready) io_.stop();
        thread_.join();
    }

private:
    net::io_context io_;
    net::executor_work_guard<net::io_context::executor_type> work_ = net::make_work_guard(io_);
    std::promise<void> ended_;
    std::future<void> ended_future_ = ended_.get_future();
    std::thread thread_;  // last: starts once io_ and work_ exist
};

}  // namespace faultline::chaos
