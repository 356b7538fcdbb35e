#include "faults/fd_budget.hpp"

#include <cerrno>
#include <sys/resource.h>

namespace faultline::faults {

namespace {
std::size_t connections_for_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1u << 20;
    const auto fds = static_cast<std::size_t>(limit.rlim_cur);
    return fds > FdBudget::kReservedFds ? (fds - FdBudget::kReservedFds) / FdBudget::kFdsPerConnection : 0;
}
}  // namespace

FdBudget::FdBudget() : max_(connections_for_limit()) {}

bool accept_error_is_resource_exhaustion(int error_value) noexcept {
    return error_value == EMFILE || error_value == ENFILE || error_value == ENOBUFS || error_value == ENOMEM;
}

}  // namespace faultline::faults
