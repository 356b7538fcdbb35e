#pragma once
// One driver thread: its own io_context, its share of the connections and of the load,
// and its own recorder (merged after the run, so recording takes no lock).
//
// Open model: a scheduler coroutine sleeps until each intended send time, then hands the
// request to an idle connection, opens a new connection while under the limit, or queues
// it in a bounded FIFO; a full FIFO drops the arrival (counted, never hidden). Closed
// model: each virtual user owns one connection and sends its next request when the last
// completes. A 10 ms tick enforces request deadlines, measures event-loop lag and closes
// finished intervals.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "common/task_group.hpp"
#include "driver/arrival_schedule.hpp"
#include "driver/http_connection.hpp"
#include "driver/worker_shared.hpp"

namespace faultline {

// This worker's share of the run.
struct WorkerPlan {
    unsigned index = 0;
    unsigned count = 1;
    int connections = 1;                    // open: pool limit; closed: VUs
    std::size_t max_pending = 0;            // open model
    std::optional<std::uint64_t> requests;  // closed model: this worker's request budget
};

class Worker {
public:
    Worker(const WorkerPlan& plan, const RunSpec& spec, const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
           boost::asio::ssl::context* tls, const std::string& request_bytes, Clock_tp origin);

    // The thread body: runs until the worker's share is done and drained. `on_done` is
    // called on this thread just before returning.
    void run(const std::function<void()>& on_done);
    // Thread-safe. Stops issuing requests; in-flight and queued ones get `grace` to finish,
    // then count as timeouts.
    void stop(Duration grace);

    RunRecorder& recorder() noexcept { return recorder_; }

private:
    boost::asio::awaitable<void> run_open_model();
    boost::asio::awaitable<void> run_closed_model();
    boost::asio::awaitable<void> virtual_user(HttpConnection& connection);
    boost::asio::awaitable<void> tick();
    boost::asio::awaitable<void> drain();
    boost::asio::awaitable<void> sleep_until(boost::asio::steady_timer& timer, Clock_tp t);
    void dispatch(Clock_tp intended);
    void expire_overdue(Clock_tp now) noexcept;
    std::size_t busy_connections() const noexcept;

    struct PooledSlot {
        std::unique_ptr<HttpConnection> connection;
        std::unique_ptr<boost::asio::steady_timer> wake;  // cancelled to hand the slot a request
        std::optional<Clock_tp> job;
    };
    boost::asio::awaitable<void> pooled_connection(PooledSlot& slot);
    bool pop_pending(Clock_tp& intended) noexcept;

    WorkerPlan plan_;
    const RunSpec& spec_;
    boost::asio::io_context io_{1};
    Clock_tp origin_;
    RunRecorder recorder_;
    WorkerShared shared_;
    TaskGroup tasks_;
    boost::asio::steady_timer schedule_timer_{io_};
    std::vector<std::unique_ptr<HttpConnection>> vu_connections_;  // closed model
    std::deque<std::unique_ptr<PooledSlot>> slots_;                 // open model
    std::vector<PooledSlot*> idle_;
    std::vector<Clock_tp> pending_;  // ring buffer of queued intended times
    std::size_t pending_head_ = 0, pending_size_ = 0;
    std::optional<std::uint64_t> budget_;  // closed model: requests left to issue
    int vus_running_ = 0;
    bool stopping_ = false;
    bool finished_ = false;
    Clock_tp drain_deadline_ = Clock_tp::max();
};

}  // namespace faultline
