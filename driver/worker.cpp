#include "driver/worker.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "driver/arrival_schedule.hpp"
#include "driver/request_bytes.hpp"
#include "driver/shard_plan.hpp"
#include "driver/step_checks.hpp"
#include "driver/worker_iteration.hpp"

namespace faultline {
namespace net = boost::asio;

namespace {
constexpr auto kAwait = net::as_tuple(net::use_awaitable);
constexpr Duration kTick = std::chrono::milliseconds(10);
}  // namespace

// Lives on the sleeping coroutine's frame, linked into the worker's list while it waits.
struct Worker::Sleeper {
    net::steady_timer* timer;
    Sleeper* prev = nullptr;
    Sleeper* next = nullptr;
};


Worker::Worker(const WorkerPlan& plan, const RunPlan& run, Clock_tp start, Clock_tp origin)
    : plan_(plan),
      run_(run),
      scenario_(*run.scenario),
      start_(start),
      origin_(origin),
      shared_{io_, scenario_.http, std::min(scenario_.connect_timeout, scenario_.http.timeout), SteadyClock::instance()},
      recorder_(origin, run.interval),
      warmup_(start, run.interval),
      rng_(std::random_device{}() ^ (static_cast<std::uint64_t>(plan.index) << 32)),
      budget_(plan.iterations) {
    for (std::size_t i = 0; i < run.steps.size(); ++i) steps_.push_back(std::make_unique<StepStats>(origin, run.interval));
    for (const auto& h : run.hosts)
        pools_.push_back(std::make_unique<HostPool>(shared_, h, plan.connections, plan.max_pending));
}

Worker::~Worker() = default;

void Worker::run(const std::function<void()>& on_done) {
    if (scenario_.load.model == LoadModel::open) tasks_.spawn(io_, run_open_model());
    else tasks_.spawn(io_, run_closed_model());
    tasks_.spawn(io_, tick());
    io_.run();
    on_done();
    tasks_.rethrow_if_failed();
}

void Worker::stop(Duration grace) {
    net::post(io_, [this, grace] {
        stopping_ = true;
        drain_deadline_ = std::min(drain_deadline_, shared_.clock.now() + grace);
        schedule_timer_.cancel();
        wake_sleepers();
    });
}

net::awaitable<void> Worker::sleep_until(net::steady_timer& timer, Clock_tp t) {
    if (shared_.clock.now() >= t) co_return;
    timer.expires_at(t);
    co_await timer.async_wait(kAwait);
}

net::awaitable<void> Worker::sleep_interruptibly(net::steady_timer& timer, Clock_tp t, bool only_abandon) {
    if (abandon_ || (stopping_ && !only_abandon) || shared_.clock.now() >= t) co_return;
    Sleeper self{&timer, nullptr, sleepers_};
    if (sleepers_) sleepers_->prev = &self;
    sleepers_ = &self;
    timer.expires_at(t);
    co_await timer.async_wait(kAwait);
    (self.prev ? self.prev->next : sleepers_) = self.next;
    if (self.next) self.next->prev = self.prev;
}

void Worker::wake_sleepers() noexcept {
    for (Sleeper* s = sleepers_; s; s = s->next) s->timer->cancel();
}

net::awaitable<void> Worker::tick() {
    net::steady_timer timer(io_);
    Clock_tp expected = shared_.clock.now() + kTick;
    while (!finished_) {
        co_await sleep_until(timer, expected);
        const Clock_tp now = shared_.clock.now();
        recorder_.record_loop_lag(std::max(Duration::zero(), now - expected));
        expected = now + kTick;
        const bool past_drain = now >= drain_deadline_;
        if (past_drain && !abandon_) {
            abandon_ = true;
            wake_sleepers();
        }
        for (auto* pools : {&pools_, &extra_pools_})
            for (auto& p : *pools) {
                if (past_drain) p->shut_down();
                p->check_deadlines(now, past_drain);
            }
        recorder_.intervals().close_ready();
        publish_closed_intervals();
        warmup_.intervals().close_ready();
        for (auto& s : steps_) s->recorder.intervals().close_ready();
    }
}

void Worker::publish_closed_intervals() {
    if (live_ == nullptr) return;
    const auto& closed = recorder_.intervals().closed();
    for (; published_ < closed.size(); ++published_) live_->publish(closed[published_]);
}

void Worker::finish() {
    finished_ = true;
    for (auto* pools : {&pools_, &extra_pools_})
        for (auto& p : *pools) {
            p->shut_down();
            p->close_all();
        }
    recorder_.intervals().close_all();
    warmup_.intervals().close_all();
    for (auto& s : steps_) s->recorder.intervals().close_all();
}

// ---- pools ----

HostPool& Worker::pool_for(int host) { return *pools_[static_cast<std::size_t>(host)]; }

HostPool* Worker::pool_for_url(const TargetUrl& url, std::string& error) {
    const auto key = origin_key(url);
    for (std::size_t i = 0; i < run_.hosts.size(); ++i)
        if (run_.hosts[i].key == key) return pools_[i].get();
    for (auto& p : extra_pools_)
        if (p->target().key == key) return p.get();
    try {
        // Rare: an origin that only a templated URL names. Resolving blocks this worker once.
        extra_hosts_.push_back(std::make_unique<HostTarget>(resolve_origin(url, url.tls ? run_.tls.get() : nullptr)));
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
    extra_pools_.push_back(std::make_unique<HostPool>(shared_, *extra_hosts_.back(), plan_.connections, plan_.max_pending));
    return extra_pools_.back().get();
}

// ---- iterations ----

void Worker::prepare_iteration(Iteration& it, std::uint64_t number) {
    it.number = number;
    it.slots.resize(scenario_.slot_names.size());
    for (auto& s : it.slots) s.clear();
    it.rows.resize(scenario_.data.size());
    for (std::size_t i = 0; i < scenario_.data.size(); ++i) {
        const auto& feed = scenario_.data[i];
        if (feed.rows.empty()) {
            it.rows[i] = nullptr;
            continue;
        }
        const std::size_t n = feed.rows.size();
        const std::size_t row = feed.random_order ? static_cast<std::size_t>(rng_() % n) : sequential_row(number, n, plan_.shard);
        it.rows[i] = &feed.rows[row];
    }
}

net::awaitable<void> Worker::think(const ThinkStep& t, Clock_tp& intended) {
    Duration pause = t.min;
    if (t.max > t.min) {
        std::uniform_int_distribution<std::int64_t> d(t.min.count(), t.max.count());
        pause = Duration(d(rng_));
    }
    intended += pause;
    net::steady_timer timer(io_);
    // A stop does not end think time (running iterations may go on within the grace); only
    // abandoning the run does.
    while (!abandon_ && shared_.clock.now() < intended) co_await sleep_interruptibly(timer, intended, true);
}

net::awaitable<void> Worker::run_iteration(Iteration& it, Clock_tp arrival) {
    it.total = arrival < origin_ ? &warmup_ : &recorder_;
    std::size_t flow = 0;
    if (run_.flows.size() > 1) {
        std::uniform_real_distribution<double> pick(0.0, run_.cumulative_weights.back());
        const double x = pick(rng_);
        flow = static_cast<std::size_t>(std::upper_bound(run_.cumulative_weights.begin(), run_.cumulative_weights.end(), x) -
                                        run_.cumulative_weights.begin());
        flow = std::min(flow, run_.flows.size() - 1);
    }
    const auto& steps = scenario_.flows[flow].steps;
    Clock_tp intended = arrival;
    for (std::size_t k = 0; k < steps.size() && !abandon_; ++k) {
        const int index = run_.flows[flow][k];
        if (index < 0) {
            co_await think(std::get<ThinkStep>(steps[k]), intended);
            continue;
        }
        const PlannedStep& step = run_.steps[static_cast<std::size_t>(index)];
        const bool ok = co_await run_step(it, step, intended);
        if (!ok && step.step->abort_on_fail) break;
    }
}

}  // namespace faultline
