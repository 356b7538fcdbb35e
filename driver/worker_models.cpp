// Worker: the open model (arrival schedule) and the closed model (virtual users), and the
// end-of-run drain.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "driver/arrival_schedule.hpp"
#include "driver/worker_iteration.hpp"

namespace faultline {
namespace net = boost::asio;

namespace {
constexpr Duration kPoll = std::chrono::milliseconds(2);
constexpr int kOverdueArrivalsPerYield = 16;
// A stage without a duration under an iteration budget (`vus: 10, iterations: 1000`) runs
// until the budget is spent; this stands for "no end" without overflowing time points.
constexpr Duration kUntilBudgetSpent = std::chrono::hours(24 * 365 * 10);

Duration stage_duration(const LoadProfile& load, Duration d) {
    return d.count() == 0 && load.iterations ? kUntilBudgetSpent : d;
}

// Warm-up runs at the load's starting level before the stages begin.
std::vector<RateStage> rate_stages(const LoadProfile& load, double& start_rate) {
    std::vector<RateStage> out;
    const double first = load.stages.empty() ? 0.0 : load.stages.front().rate_per_s;
    start_rate = load.start_rate_per_s >= 0 ? load.start_rate_per_s : first;
    if (load.warmup.count() > 0) out.push_back(RateStage{load.warmup, start_rate});
    for (const auto& s : load.stages) out.push_back(RateStage{stage_duration(load, s.duration), s.rate_per_s});
    return out;
}

std::vector<VuStage> vu_stages(const LoadProfile& load, int& start_vus) {
    std::vector<VuStage> out;
    const int first = load.stages.empty() ? 0 : load.stages.front().vus;
    start_vus = load.start_vus >= 0 ? load.start_vus : first;
    if (load.warmup.count() > 0) out.push_back(VuStage{load.warmup, start_vus});
    for (const auto& s : load.stages) out.push_back(VuStage{stage_duration(load, s.duration), s.vus});
    return out;
}

}  // namespace

net::awaitable<void> Worker::run_open_model() {
    double start_rate = 0;
    auto stages = rate_stages(scenario_.load, start_rate);
    ArrivalSchedule schedule(std::move(stages), start_rate, scenario_.load.iterations, plan_.index, plan_.count);
    std::uint64_t number = plan_.index;
    int overdue_in_a_row = 0;
    while (!stopping_) {
        const auto offset = schedule.next();
        if (!offset) break;
        const Clock_tp intended = start_ + *offset;
        // Behind schedule, sleep_until does not suspend: without a yield now and then, a
        // backlog of overdue arrivals would run as one burst with no socket I/O and no tick
        // (responses timestamped late, connections never freed, lanes piling up).
        if (shared_.clock.now() < intended) overdue_in_a_row = 0;
        else if (++overdue_in_a_row >= kOverdueArrivalsPerYield) {
            overdue_in_a_row = 0;
            co_await net::post(io_, net::use_awaitable);
        }
        co_await sleep_until(schedule_timer_, intended);
        if (stopping_) break;
        recorder_.record_send_lag(std::max(Duration::zero(), shared_.clock.now() - intended));
        start_arrival(intended, number);
        number += plan_.count;
    }
    co_await drain();
}

void Worker::start_arrival(Clock_tp arrival, std::uint64_t number) {
    ++live_iterations_;
    const bool reuse = !idle_lanes_.empty();
    Lane* l = nullptr;
    if (reuse) {
        l = idle_lanes_.back();
        idle_lanes_.pop_back();
    } else {
        lanes_.push_back(std::make_unique<Lane>(io_));
        l = lanes_.back().get();
        idle_lanes_.reserve(lanes_.size());  // so that going idle never allocates
    }
    l->arrival = arrival;
    l->number = number;
    l->assigned = true;
    if (reuse) l->wake.cancel();
    else tasks_.spawn(io_, lane(*l));
}

net::awaitable<void> Worker::lane(Lane& l) {
    for (;;) {
        if (l.assigned) {
            l.assigned = false;
            prepare_iteration(l.it, l.number);
            co_await run_iteration(l.it, l.arrival);
            --live_iterations_;
        }
        if (lanes_closing_) co_return;
        idle_lanes_.push_back(&l);
        l.wake.expires_at(net::steady_timer::time_point::max());
        co_await l.wake.async_wait(net::as_tuple(net::use_awaitable));
    }
}

void Worker::close_idle_lanes() {
    lanes_closing_ = true;
    for (Lane* l : idle_lanes_) l->wake.cancel();
    idle_lanes_.clear();
}

net::awaitable<void> Worker::drain() {
    drain_deadline_ = std::min(drain_deadline_, shared_.clock.now() + scenario_.http.timeout);
    net::steady_timer timer(io_);
    while (live_iterations_ > 0 && shared_.clock.now() < drain_deadline_)
        co_await sleep_until(timer, std::min(drain_deadline_, shared_.clock.now() + kPoll));
    // Past the deadline: requests waiting for a connection and in flight count as timeouts;
    // steps not yet sent are not sent.
    abandon_ = true;
    wake_sleepers();
    const Clock_tp now = shared_.clock.now();
    for (auto* pools : {&pools_, &extra_pools_})
        for (auto& p : *pools) {
            p->shut_down();
            p->check_deadlines(now, true);
        }
    while (live_iterations_ > 0) co_await sleep_until(timer, shared_.clock.now() + kPoll);
    close_idle_lanes();
    finish();
}

net::awaitable<void> Worker::run_closed_model() {
    int start_vus = 0;
    vu_schedule_.emplace(vu_stages(scenario_.load, start_vus), start_vus);
    // Whatever is still running this long after the last stage is cut off.
    drain_deadline_ = std::min(drain_deadline_, start_ + vu_schedule_->end() + scenario_.http.timeout);
    for (int vu = static_cast<int>(plan_.index); vu < vu_schedule_->max_vus(); vu += static_cast<int>(plan_.count)) {
        ++vus_running_;
        tasks_.spawn(io_, virtual_user(vu));
    }
    if (vus_running_ == 0) finish();
    co_return;
}

net::awaitable<void> Worker::virtual_user(int vu) {
    Iteration it;
    it.vu = static_cast<std::uint64_t>(vu);
    net::steady_timer timer(io_);
    const auto offset = [&] { return shared_.clock.now() - start_; };
    bool budget_left = true;
    while (!stopping_ && !abandon_ && budget_left) {
        const auto next = vu_schedule_->next_start(vu, offset());
        if (!next) break;
        while (!stopping_ && shared_.clock.now() < start_ + *next)
            co_await sleep_interruptibly(timer, start_ + *next);
        while (!stopping_ && !abandon_ && vu_schedule_->active(vu, offset())) {
            if (budget_) {
                budget_left = *budget_ > 0;
                if (!budget_left) break;
                --*budget_;
            }
            prepare_iteration(it, iterations_started_++ * plan_.count + plan_.index);
            ++live_iterations_;
            co_await run_iteration(it, shared_.clock.now());
            --live_iterations_;
        }
    }
    if (--vus_running_ == 0) finish();
}

}  // namespace faultline
