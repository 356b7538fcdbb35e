#pragma once
// A malloc that counts, for allocation tests. It interposes glibc's malloc family in this
// test binary (operator new, Asio's aligned_alloc and everything else end up here) and
// forwards to glibc's implementation. Counting is off until switched on, and threads that
// excluded themselves (the test's own thread, which runs the driver's control loop and
// hooks) are never counted: what remains are the driver's worker threads.
#include <cstdint>

namespace faultline::test {

void start_counting_allocations() noexcept;
void stop_counting_allocations() noexcept;
std::uint64_t counted_allocations() noexcept;
// Allocations made by the calling thread are never counted.
void exclude_this_thread_from_counting() noexcept;

}  // namespace faultline::test
