#include "driver/host_pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace faultline {
namespace net = boost::asio;

// Lives on the waiting coroutine's frame; release() fills `connection` and wakes it.
struct HostPool::Waiter {
    HttpConnection* connection = nullptr;
    net::steady_timer wake;
};

HostPool::HostPool(WorkerShared& shared, HostTarget target, int limit, std::size_t max_pending)
    : shared_(shared),
      target_(std::move(target)),
      limit_(static_cast<std::size_t>(std::max(1, limit))),
      waiting_(max_pending, nullptr) {
    connections_.reserve(limit_);
    idle_.reserve(limit_);
}

net::awaitable<HttpConnection*> HostPool::acquire() {
    if (shut_down_) co_return nullptr;
    if (!idle_.empty()) {
        HttpConnection* c = idle_.back();
        idle_.pop_back();
        co_return c;
    }
    if (connections_.size() < limit_) {
        connections_.push_back(std::make_unique<HttpConnection>(shared_, target_));
        co_return connections_.back().get();
    }
    if (waiting_size_ >= waiting_.size()) co_return nullptr;
    Waiter w{nullptr, net::steady_timer(shared_.io, net::steady_timer::time_point::max())};
    waiting_[(waiting_head_ + waiting_size_) % waiting_.size()] = &w;
    ++waiting_size_;
    co_await w.wake.async_wait(net::as_tuple(net::use_awaitable));
    co_return w.connection;
}

void HostPool::release(HttpConnection* connection) noexcept {
    if (waiting_size_ > 0 && !shut_down_) {
        Waiter* w = waiting_[waiting_head_];
        waiting_head_ = (waiting_head_ + 1) % waiting_.size();
        --waiting_size_;
        w->connection = connection;
        w->wake.cancel();
        return;
    }
    idle_.push_back(connection);
}

void HostPool::check_deadlines(Clock_tp now, bool past_drain) noexcept {
    for (auto& c : connections_) {
        if (past_drain) c->expire_now();
        else c->check_deadline(now);
    }
}

std::size_t HostPool::busy() const noexcept { return connections_.size() - idle_.size(); }

void HostPool::shut_down() noexcept {
    shut_down_ = true;
    while (waiting_size_ > 0) {
        Waiter* w = waiting_[waiting_head_];
        waiting_head_ = (waiting_head_ + 1) % waiting_.size();
        --waiting_size_;
        w->wake.cancel();
    }
}

void HostPool::close_all() noexcept {
    for (auto& c : connections_) c->close();
}

}  // namespace faultline
