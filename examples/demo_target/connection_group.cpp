#include "examples/demo_target/connection_group.hpp"

#include <boost/asio/post.hpp>

#include <iostream>

namespace faultline::demo {

void ConnectionGroup::cancel_all(boost::asio::cancellation_type type) {
    const std::lock_guard lock(mutex_);
    for (const auto& entry : entries_) {
        // The posted emit keeps the entry alive; emitting after the coroutine ended is a no-op.
        boost::asio::post(entry->executor, [entry, type] { entry->signal.emit(type); });
    }
}

std::size_t ConnectionGroup::size() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

void ConnectionGroup::finished(std::list<std::shared_ptr<Entry>>::iterator position, std::exception_ptr error) {
    {
        const std::lock_guard lock(mutex_);
        entries_.erase(position);
    }
    if (!error) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::cerr << "faultline-demo-target: connection failed: " << e.what() << '\n';
    }
}

}  // namespace faultline::demo
