#pragma once
// One worker's keep-alive connections to one origin, never more than `limit`, plus a
// bounded FIFO of requests waiting for one (overflow = dropped, counted by the caller).
// Single-threaded: used only from the worker's io_context thread.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <vector>

#include "driver/http_connection.hpp"

namespace faultline {

class HostPool {
public:
    HostPool(WorkerShared& shared, HostTarget target, int limit, std::size_t max_pending);

    // An idle connection at once, a new one while under the limit, or the next one released
    // after waiting in the FIFO (the wait counts in the caller's latency). nullptr when the
    // FIFO is full (the arrival is dropped) or the pool was shut down while waiting.
    boost::asio::awaitable<HttpConnection*> acquire();
    // Whether acquire() would give a connection or a place in the FIFO (false: drop).
    bool can_admit() const noexcept {
        return !shut_down_ && (!idle_.empty() || connections_.size() < limit_ || waiting_size_ < waiting_.size());
    }
    // Gives the connection to the longest waiter, or back to the idle set.
    void release(HttpConnection* connection) noexcept;

    // Deadline enforcement from the worker's tick; past_drain expires every busy request.
    void check_deadlines(Clock_tp now, bool past_drain) noexcept;
    std::size_t busy() const noexcept;
    std::size_t waiting() const noexcept { return waiting_size_; }
    // Wakes every waiter with nullptr and refuses new ones (end of run).
    void shut_down() noexcept;
    void close_all() noexcept;
    const HostTarget& target() const noexcept { return target_; }

private:
    struct Waiter;
    WorkerShared& shared_;
    HostTarget target_;
    std::size_t limit_;
    std::vector<std::unique_ptr<HttpConnection>> connections_;
    std::vector<HttpConnection*> idle_;
    std::vector<Waiter*> waiting_;  // ring buffer of capacity max_pending
    std::size_t waiting_head_ = 0, waiting_size_ = 0;
    bool shut_down_ = false;
};

}  // namespace faultline
