#include "common/clock.hpp"

#include <sys/resource.h>

namespace faultline {

Clock_tp SteadyClock::now() const noexcept { return std::chrono::steady_clock::now(); }

SteadyClock& SteadyClock::instance() noexcept {
    static SteadyClock clock;
    return clock;
}

std::int64_t unix_time_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Duration process_cpu_time() noexcept {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto to_ns = [](const timeval& tv) {
        return std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
    };
    return std::chrono::duration_cast<Duration>(to_ns(usage.ru_utime) + to_ns(usage.ru_stime));
}

}  // namespace faultline
