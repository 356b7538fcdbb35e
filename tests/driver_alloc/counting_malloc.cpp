#include "tests/driver_alloc/counting_malloc.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>

// glibc's own entry points, which its public malloc/free are aliases of.
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}

namespace {
std::atomic<bool> g_counting{false};
std::atomic<std::uint64_t> g_allocations{0};
// Trivial type, initial-exec TLS in an executable: reading it never allocates.
thread_local bool t_excluded = false;

inline void count() noexcept {
    if (g_counting.load(std::memory_order_relaxed) && !t_excluded) g_allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

namespace faultline::test {
void start_counting_allocations() noexcept {
    g_allocations.store(0);
    g_counting.store(true);
}
void stop_counting_allocations() noexcept { g_counting.store(false); }
std::uint64_t counted_allocations() noexcept { return g_allocations.load(); }
void exclude_this_thread_from_counting() noexcept { t_excluded = true; }
}  // namespace faultline::test

extern "C" {
void* malloc(std::size_t n) {
    count();
    return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
    count();
    return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
    count();
    return __libc_realloc(p, n);
}
void* memalign(std::size_t align, std::size_t n) {
    count();
    return __libc_memalign(align, n);
}
void* aligned_alloc(std::size_t align, std::size_t n) {
    count();
    return __libc_memalign(align, n);
}
int posix_memalign(void** out, std::size_t align, std::size_t n) {
    count();
    void* p = __libc_memalign(align, n);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}
void free(void* p) { __libc_free(p); }
}
