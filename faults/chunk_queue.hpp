#pragma once
// A bounded single-producer, single-consumer queue of chunks between two stages of a link.
// Single-threaded (the link's io_context thread). A full queue suspends the producer, which
// is how back-pressure reaches the socket reader: no stage ever buffers without bound.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <deque>
#include <optional>

#include "faults/chunk.hpp"
#include "faults/sleep_clock.hpp"

namespace faultline::faults {

struct QueueItem {
    bool eof = false;
    EndKind end = EndKind::half;  // meaningful when eof
    Chunk chunk;
};

struct PopResult {
    enum class Status { item, interrupted, timed_out, aborted };
    Status status = Status::aborted;
    QueueItem item;
};

class ChunkQueue {
public:
    // capacity: chunks held before push() suspends (at least 1). An EOF never waits.
    ChunkQueue(net::any_io_executor executor, std::size_t capacity);

    // Appends, waiting while full. False (item dropped) once the queue is aborted.
    net::awaitable<bool> push(QueueItem item);
    // Appends if there is room; false when full or aborted, and then `item` is left as it was.
    bool try_push(QueueItem&& item);
    std::optional<QueueItem> try_pop();

    // Waits for an item until `deadline` (timed_out), until *interrupted becomes true and
    // `timer` is cancelled (interrupted), or until abort(). `timer` is the consumer's.
    net::awaitable<PopResult> pop(SleepClock& clock, net::steady_timer& timer, const bool* interrupted = nullptr,
                                  Clock_tp deadline = Clock_tp::max());

    // Wakes both sides for good; pushes fail and pops return aborted from now on.
    void abort();
    bool aborted() const noexcept { return aborted_; }
    bool empty() const noexcept { return items_.empty(); }
    bool producer_waiting() const noexcept { return producer_waiting_; }
    std::size_t size() const noexcept { return items_.size(); }

private:
    void wake_consumer();

    std::deque<QueueItem> items_;
    std::size_t capacity_;
    net::steady_timer not_full_;
    net::steady_timer* consumer_ = nullptr;
    bool producer_waiting_ = false;
    bool aborted_ = false;
};

}  // namespace faultline::faults
