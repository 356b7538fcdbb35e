#include "faults/chunk_queue.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace faultline::faults {

ChunkQueue::ChunkQueue(net::any_io_executor executor, std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)), not_full_(std::move(executor)) {}

net::awaitable<bool> ChunkQueue::push(QueueItem item) {
    // A single producer at a time: the stage before this queue (see Link's invariants).
    while (!aborted_ && !item.eof && items_.size() >= capacity_) {
        producer_waiting_ = true;
        not_full_.expires_at(Clock_tp::max());
        co_await not_full_.async_wait(net::as_tuple(net::use_awaitable));
        producer_waiting_ = false;
    }
    if (aborted_) co_return false;
    items_.push_back(std::move(item));
    wake_consumer();
    co_return true;
}

bool ChunkQueue::try_push(QueueItem&& item) {
    if (aborted_ || (!item.eof && items_.size() >= capacity_)) return false;
    items_.push_back(std::move(item));
    wake_consumer();
    return true;
}

std::optional<QueueItem> ChunkQueue::try_pop() {
    if (aborted_ || items_.empty()) return std::nullopt;
    QueueItem item = std::move(items_.front());
    items_.pop_front();
    not_full_.cancel();
    return item;
}

net::awaitable<PopResult> ChunkQueue::pop(SleepClock& clock, net::steady_timer& timer, const bool* interrupted,
                                          Clock_tp deadline) {
    for (;;) {
        if (aborted_) co_return PopResult{PopResult::Status::aborted, {}};
        // Interrupts win over data so an API change takes effect before the next chunk.
        if (interrupted && *interrupted) co_return PopResult{PopResult::Status::interrupted, {}};
        if (auto item = try_pop()) co_return PopResult{PopResult::Status::item, std::move(*item)};
        if (clock.now() >= deadline) co_return PopResult{PopResult::Status::timed_out, {}};
        consumer_ = &timer;
        co_await clock.sleep_until(deadline, timer);
        consumer_ = nullptr;
    }
}

void ChunkQueue::abort() {
    aborted_ = true;
    items_.clear();
    not_full_.cancel();
    wake_consumer();
}

void ChunkQueue::wake_consumer() {
    if (consumer_) consumer_->cancel();
}

}  // namespace faultline::faults
