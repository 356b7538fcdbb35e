#pragma once
// How many proxied connections one process may hold open, from its file-descriptor limit.
//
// Each proxied connection holds two descriptors (client and upstream). Without a cap, a flood
// of clients takes the process to EMFILE, and then nothing can be accepted any more: not the
// admin API, not the upstream dial of a connection already accepted. The budget keeps
// kReservedFds descriptors back (listeners, admin API sessions, stdio, epoll, log files), so
// at the limit the proxy sheds new clients (accept, then close at once) and the API keeps
// answering. Single-threaded, like the registry that owns it.
#include <cstddef>

namespace faultline::faults {

class FdBudget {
public:
    static constexpr std::size_t kReservedFds = 64;
    static constexpr std::size_t kFdsPerConnection = 2;

    // From RLIMIT_NOFILE (soft limit) at construction.
    FdBudget();
    explicit FdBudget(std::size_t max_connections) noexcept : max_(max_connections) {}

    // Takes one connection's share; false when the budget is spent (the caller sheds it).
    bool try_acquire() noexcept {
        if (used_ >= max_) return false;
        ++used_;
        return true;
    }
    void release() noexcept {
        if (used_ > 0) --used_;
    }
    std::size_t used() const noexcept { return used_; }
    std::size_t max() const noexcept { return max_; }

private:
    std::size_t max_;
    std::size_t used_ = 0;
};

// A failed accept() that will fail again at once if retried (EMFILE, ENFILE, ENOBUFS,
// ENOMEM): the listening socket stays readable, so an accept loop must pause instead of
// spinning. ECONNABORTED and friends concern one client only and are retried at once.
bool accept_error_is_resource_exhaustion(int error_value) noexcept;

}  // namespace faultline::faults
