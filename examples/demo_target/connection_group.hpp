#pragma once
// The live connection coroutines of the demo target, so that shutdown can cancel them all
// (a minimal form of Beast's task_group; see architecture.md §10.8).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>

#include <cstddef>
#include <exception>
#include <list>
#include <memory>
#include <mutex>

namespace faultline::demo {

class ConnectionGroup {
public:
    // The completion token for co_spawn of one connection coroutine running on `executor`:
    // registers it, makes it cancellable by cancel_all(), and removes it when it ends
    // (reporting an escaped exception on stderr). Thread-safe.
    auto adapt(const boost::asio::any_io_executor& executor) {
        auto entry = std::make_shared<Entry>(executor);
        std::list<std::shared_ptr<Entry>>::iterator position;
        {
            const std::lock_guard lock(mutex_);
            position = entries_.insert(entries_.end(), entry);
        }
        // The handler owns the entry too: the signal must outlive the slot that co_spawn holds.
        auto slot = entry->signal.slot();
        return boost::asio::bind_cancellation_slot(
            slot, [this, position, entry = std::move(entry)](std::exception_ptr error) { finished(position, error); });
    }

    // Emits `type` to every registered coroutine. Each emit runs on the coroutine's own
    // executor (its strand), because a cancellation signal is not thread-safe. Thread-safe.
    void cancel_all(boost::asio::cancellation_type type);

    std::size_t size() const;

private:
    struct Entry {
        explicit Entry(boost::asio::any_io_executor e) : executor(std::move(e)) {}
        boost::asio::any_io_executor executor;
        boost::asio::cancellation_signal signal;
    };
    void finished(std::list<std::shared_ptr<Entry>>::iterator position, std::exception_ptr error);

    mutable std::mutex mutex_;
    std::list<std::shared_ptr<Entry>> entries_;
};

}  // namespace faultline::demo
