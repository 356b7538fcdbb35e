#pragma once
// One driver thread: its own io_context, its share of the load, one connection pool per
// origin and its own recorders (merged after the run, so recording takes no lock).
//
// Open model: a scheduler coroutine sleeps until each arrival's intended time and hands it
// to an idle lane (a reused coroutine, see Worker::Lane), which runs an iteration of a
// flow; each step asks its origin's pool for a connection (idle, new while under the
// limit, or a place in a bounded FIFO; a full FIFO drops the request, counted).
// Step k is intended at step k-1's completion plus think time, so each step's latency runs
// from its own intended time. Closed model: virtual users loop over iterations, their
// number following the VU stages. A 10 ms tick enforces deadlines, measures event-loop lag
// and closes finished intervals.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "common/task_group.hpp"
#include "driver/host_pool.hpp"
#include "driver/live_intervals.hpp"
#include "driver/run_plan.hpp"
#include "driver/vu_schedule.hpp"
#include "driver/worker_shared.hpp"
#include "reports/run_recorder.hpp"

namespace faultline {

// This worker's share of the run.
struct WorkerPlan {
    // Global arrival, VU and iteration numbers this worker takes: index, index + count, ...
    // (driver/shard_plan.hpp: shard and thread combined).
    unsigned index = 0;
    unsigned count = 1;
    int connections = 1;                      // per origin pool limit (closed model: this worker's VUs)
    std::size_t max_pending = 0;              // open model FIFO per origin
    std::optional<std::uint64_t> iterations;  // closed model: this worker's iteration budget
    ShardId shard;                            // this process's shard (sequential data rows)
};

// Per-step figures of one worker.
struct StepStats {
    explicit StepStats(Clock_tp origin, Duration interval) : recorder(origin, interval) {}
    RunRecorder recorder;
    std::array<std::uint64_t, 4> check_failures{};  // status, body_contains, json, latency
};

class Worker {
public:
    // `start` is when the schedule begins (warm-up included); `origin` when measurement does.
    Worker(const WorkerPlan& plan, const RunPlan& run, Clock_tp start, Clock_tp origin);
    ~Worker();  // out of line: Lane is complete only in the worker's sources

    // The thread body: runs until the worker's share is done and drained. `on_done` is
    // called on this thread just before returning.
    void run(const std::function<void()>& on_done);
    // Thread-safe. Stops starting iterations; what is in flight gets `grace`, then counts
    // as timeouts.
    void stop(Duration grace);

    // Before run(): closed intervals of the totals are also published here (may be null).
    void set_live(LiveIntervals* live) noexcept { live_ = live; }

    RunRecorder& recorder() noexcept { return recorder_; }
    RunRecorder& warmup_recorder() noexcept { return warmup_; }
    std::vector<std::unique_ptr<StepStats>>& steps() noexcept { return steps_; }

private:
    struct Iteration;
    struct Lane;
    struct Sleeper;
    boost::asio::awaitable<void> run_open_model();
    boost::asio::awaitable<void> run_closed_model();
    boost::asio::awaitable<void> virtual_user(int vu);
    void start_arrival(Clock_tp arrival, std::uint64_t number);
    boost::asio::awaitable<void> lane(Lane& lane);
    void close_idle_lanes();
    boost::asio::awaitable<void> run_iteration(Iteration& it, Clock_tp arrival);
    boost::asio::awaitable<bool> run_step(Iteration& it, const PlannedStep& step, Clock_tp& intended);
    boost::asio::awaitable<void> think(const ThinkStep& t, Clock_tp& intended);
    boost::asio::awaitable<void> tick();
    boost::asio::awaitable<void> drain();
    boost::asio::awaitable<void> sleep_until(boost::asio::steady_timer& timer, Clock_tp t);
    // Sleeps until `t` or until the run is abandoned or (unless only_abandon) stopped,
    // whichever comes first (think time, a VU waiting for its stage): one timer wait, not
    // a wake-up per slice.
    boost::asio::awaitable<void> sleep_interruptibly(boost::asio::steady_timer& timer, Clock_tp t,
                                                     bool only_abandon = false);
    void wake_sleepers() noexcept;
    HostPool& pool_for(int host);
    HostPool* pool_for_url(const TargetUrl& url, std::string& error);
    void prepare_iteration(Iteration& it, std::uint64_t number);
    void finish();
    void publish_closed_intervals();

    WorkerPlan plan_;
    const RunPlan& run_;
    const Scenario& scenario_;
    // One thread runs it and only that thread touches its sockets and timers, so the
    // reactor's per-descriptor lock is switched off; the scheduler keeps its lock for
    // stop(), which posts from the control thread.
    boost::asio::io_context io_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    Clock_tp start_;
    Clock_tp origin_;
    WorkerShared shared_;
    RunRecorder recorder_;
    RunRecorder warmup_;
    std::vector<std::unique_ptr<StepStats>> steps_;
    std::vector<std::unique_ptr<HostPool>> pools_;          // index = RunPlan::hosts index
    std::vector<std::unique_ptr<HostTarget>> extra_hosts_;  // origins met only at run time
    std::vector<std::unique_ptr<HostPool>> extra_pools_;
    TaskGroup tasks_;
    boost::asio::steady_timer schedule_timer_{io_};
    std::mt19937_64 rng_;
    std::vector<std::unique_ptr<Lane>> lanes_;
    std::vector<Lane*> idle_lanes_;
    bool lanes_closing_ = false;
    Sleeper* sleepers_ = nullptr;  // intrusive list of sleep_interruptibly() waits
    std::optional<VuSchedule> vu_schedule_;
    std::optional<std::uint64_t> budget_;  // closed model: iterations left to start
    std::uint64_t iterations_started_ = 0;
    std::size_t live_iterations_ = 0;
    int vus_running_ = 0;
    bool stopping_ = false;
    bool abandon_ = false;  // past the drain deadline: steps not yet sent are not sent
    bool finished_ = false;
    Clock_tp drain_deadline_ = Clock_tp::max();
    LiveIntervals* live_ = nullptr;
    std::size_t published_ = 0;  // closed intervals of recorder_ already given to live_
};

}  // namespace faultline
