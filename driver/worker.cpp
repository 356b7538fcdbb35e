#include "driver/worker.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace faultline {
namespace net = boost::asio;

namespace {
constexpr auto kAwait = net::as_tuple(net::use_awaitable);
constexpr Duration kTick = std::chrono::milliseconds(10);
constexpr Duration kDrainPoll = std::chrono::milliseconds(2);
}  // namespace

Worker::Worker(const WorkerPlan& plan, const RunSpec& spec, const std::vector<net::ip::tcp::endpoint>& endpoints,
               net::ssl::context* tls, const std::string& request_bytes, Clock_tp origin)
    : plan_(plan),
      spec_(spec),
      origin_(origin),
      recorder_(origin, spec.interval),
      shared_{io_, spec, endpoints, tls, request_bytes, spec.request.method == "HEAD", recorder_,
              SteadyClock::instance()},
      pending_(std::max<std::size_t>(plan.max_pending, 1)),
      budget_(plan.requests) {}

void Worker::run(const std::function<void()>& on_done) {
    if (spec_.load.model == LoadModel::open) tasks_.spawn(io_, run_open_model());
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
    });
}

net::awaitable<void> Worker::sleep_until(net::steady_timer& timer, Clock_tp t) {
    if (shared_.clock.now() >= t) co_return;
    timer.expires_at(t);
    co_await timer.async_wait(kAwait);
}

net::awaitable<void> Worker::tick() {
    net::steady_timer timer(io_);
    Clock_tp expected = shared_.clock.now() + kTick;
    while (!finished_) {
        co_await sleep_until(timer, expected);
        const Clock_tp now = shared_.clock.now();
        recorder_.record_loop_lag(std::max(Duration::zero(), now - expected));
        expected = now + kTick;
        expire_overdue(now);
        recorder_.intervals().close_ready();
    }
}

void Worker::expire_overdue(Clock_tp now) noexcept {
    const bool past_drain = now >= drain_deadline_;
    auto check = [&](HttpConnection& c) {
        if (past_drain) c.expire_now();
        else c.check_deadline(now);
    };
    for (auto& c : vu_connections_) check(*c);
    for (auto& s : slots_) check(*s->connection);
}

std::size_t Worker::busy_connections() const noexcept {
    std::size_t n = 0;
    for (const auto& c : vu_connections_) n += c->busy() ? 1 : 0;
    for (const auto& s : slots_) n += s->connection->busy() || s->job ? 1 : 0;
    return n;
}

// ---- open model ----

net::awaitable<void> Worker::run_open_model() {
    ArrivalSchedule schedule(spec_.load.rate_per_s, spec_.load.duration, spec_.load.requests, plan_.index, plan_.count);
    while (!stopping_) {
        const auto offset = schedule.next();
        if (!offset) break;
        const Clock_tp intended = origin_ + *offset;
        co_await sleep_until(schedule_timer_, intended);
        if (stopping_) break;
        recorder_.record_send_lag(std::max(Duration::zero(), shared_.clock.now() - intended));
        dispatch(intended);
    }
    co_await drain();
}

void Worker::dispatch(Clock_tp intended) {
    if (!idle_.empty()) {
        PooledSlot* slot = idle_.back();
        idle_.pop_back();
        slot->job = intended;
        recorder_.on_issued(intended);
        slot->wake->cancel();
        return;
    }
    if (slots_.size() < static_cast<std::size_t>(plan_.connections)) {
        auto slot = std::make_unique<PooledSlot>();
        slot->connection = std::make_unique<HttpConnection>(shared_);
        slot->wake = std::make_unique<net::steady_timer>(io_);
        slot->job = intended;
        recorder_.on_issued(intended);
        slots_.push_back(std::move(slot));
        tasks_.spawn(io_, pooled_connection(*slots_.back()));
        return;
    }
    if (pending_size_ < plan_.max_pending) {
        pending_[(pending_head_ + pending_size_) % pending_.size()] = intended;
        ++pending_size_;
        recorder_.on_issued(intended);
        return;
    }
    recorder_.on_dropped(intended);
}

bool Worker::pop_pending(Clock_tp& intended) noexcept {
    if (pending_size_ == 0) return false;
    intended = pending_[pending_head_];
    pending_head_ = (pending_head_ + 1) % pending_.size();
    --pending_size_;
    return true;
}

net::awaitable<void> Worker::pooled_connection(PooledSlot& slot) {
    for (;;) {
        if (slot.job) {
            const Clock_tp intended = *slot.job;
            co_await slot.connection->execute(intended);
            slot.job.reset();
            Clock_tp next;
            if (pop_pending(next)) {
                slot.job = next;
                continue;
            }
        }
        if (finished_) break;
        idle_.push_back(&slot);
        slot.wake->expires_at(net::steady_timer::time_point::max());
        co_await slot.wake->async_wait(kAwait);
        if (!slot.job && finished_) break;
    }
    slot.connection->close();
}

net::awaitable<void> Worker::drain() {
    drain_deadline_ = std::min(drain_deadline_, shared_.clock.now() + spec_.http.timeout);
    net::steady_timer timer(io_);
    while (pending_size_ > 0 || busy_connections() > 0) {
        const Clock_tp now = shared_.clock.now();
        if (now >= drain_deadline_) break;
        co_await sleep_until(timer, std::min(drain_deadline_, now + kDrainPoll));
    }
    // Whatever is still queued never got a connection in time: a timeout, like the rest.
    Clock_tp intended;
    while (pop_pending(intended)) {
        const Clock_tp now = shared_.clock.now();
        recorder_.note_error(Outcome::timeout, "still waiting for a connection when the run ended");
        recorder_.on_completed(RequestSample{intended, now, now, 0, Outcome::timeout});
    }
    for (auto& s : slots_) s->connection->expire_now();
    // Cancelled requests complete on their next turn of the loop.
    while (busy_connections() > 0) co_await sleep_until(timer, shared_.clock.now() + kDrainPoll);
    finished_ = true;
    for (auto* slot : idle_) slot->wake->cancel();
    idle_.clear();
    recorder_.intervals().close_all();
}

// ---- closed model ----

net::awaitable<void> Worker::run_closed_model() {
    vus_running_ = plan_.connections;
    if (vus_running_ == 0) {
        finished_ = true;
        co_return;
    }
    for (int i = 0; i < plan_.connections; ++i) {
        vu_connections_.push_back(std::make_unique<HttpConnection>(shared_));
        tasks_.spawn(io_, virtual_user(*vu_connections_.back()));
    }
}

net::awaitable<void> Worker::virtual_user(HttpConnection& connection) {
    net::steady_timer timer(io_);
    co_await sleep_until(timer, origin_);
    std::optional<Clock_tp> end;
    if (spec_.load.duration) end = origin_ + *spec_.load.duration;
    while (!stopping_) {
        const Clock_tp now = shared_.clock.now();
        if (end && now >= *end) break;
        if (budget_) {
            if (*budget_ == 0) break;
            --*budget_;
        }
        recorder_.on_issued(now);
        co_await connection.execute(now);
    }
    connection.close();
    if (--vus_running_ == 0) {
        finished_ = true;
        recorder_.intervals().close_all();
    }
}

}  // namespace faultline
