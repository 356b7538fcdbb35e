#pragma once
// Where Asio's coroutine frames and operation (handler) memory come from. Force-included
// ahead of every translation unit (CMakeLists.txt), because it specialises Asio functions
// that must be the same everywhere.
//
// Why: Asio keeps freed blocks in a per-thread cache of two blocks per purpose and hands
// them out first-fit, evicting a block whenever none is large enough. A request nests
// several frames of different sizes (iteration, step, exchange...) and waits on sockets and
// timers whose operations differ in size too, so a small one regularly takes the only block
// a larger one could have used, and the larger one goes back to malloc: measured 0.1 to
// 0.4 malloc per request in the driver. Here every block comes from exact size classes with
// one free list each per thread: after warm-up each allocation is a pop and each release a
// push, whatever the nesting or the concurrency. Memory kept = the peak number of live
// blocks per class, released when the thread ends.
#include <boost/asio/detail/recycling_allocator.hpp>
#include <boost/asio/detail/thread_info_base.hpp>
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace faultline::detail {

class AsioMemoryPool {
public:
    static constexpr std::size_t kGranule = 64;
    static constexpr std::size_t kClasses = 64;  // blocks up to 4 KiB are pooled

    AsioMemoryPool() noexcept = default;
    AsioMemoryPool(const AsioMemoryPool&) = delete;
    AsioMemoryPool& operator=(const AsioMemoryPool&) = delete;
    ~AsioMemoryPool() {
        for (auto*& head : free_)
            while (head) {
                Node* next = head->next;
                std::free(head);
                head = next;
            }
    }

    static void* allocate(std::size_t size, std::size_t align) {
        const std::size_t c = size_class(size);
        if (align <= alignof(std::max_align_t) && c < kClasses) {
            if (AsioMemoryPool* pool = this_thread()) {
                if (Node* n = pool->free_[c]) {
                    pool->free_[c] = n->next;
                    return n;
                }
            }
            if (void* p = std::malloc(c * kGranule)) return p;
            throw std::bad_alloc();
        }
        // Rare: over-aligned or large blocks are not pooled.
        const std::size_t rounded = (size + align - 1) / align * align;
        if (void* p = std::aligned_alloc(align, rounded)) return p;
        throw std::bad_alloc();
    }

    static void deallocate(void* p, std::size_t size) noexcept {
        const std::size_t c = size_class(size);
        AsioMemoryPool* pool = c < kClasses ? this_thread() : nullptr;
        if (!pool) {
            std::free(p);
            return;
        }
        Node* n = static_cast<Node*>(p);
        n->next = pool->free_[c];
        pool->free_[c] = n;
    }

private:
    struct Node {
        Node* next;
    };
    static constexpr std::size_t size_class(std::size_t size) noexcept { return (std::max<std::size_t>(size, 1) + kGranule - 1) / kGranule; }

    // The calling thread's pool; null while it is being destroyed (blocks freed by other
    // thread-local destructors then go straight back to malloc).
    static AsioMemoryPool* this_thread() noexcept {
        thread_local bool gone = false;
        struct Holder {
            AsioMemoryPool pool;
            bool* gone_flag;
            ~Holder() { *gone_flag = true; }
        };
        if (gone) return nullptr;
        thread_local Holder holder{AsioMemoryPool{}, &gone};
        return &holder.pool;
    }

    Node* free_[kClasses] = {};
};

}  // namespace faultline::detail

namespace faultline::detail {

// A standard allocator over the pool, for Asio's operations (socket reads and writes,
// timer waits, posted handlers).
template <class T>
struct AsioPoolAllocator {
    using value_type = T;
    AsioPoolAllocator() noexcept = default;
    template <class U>
    AsioPoolAllocator(const AsioPoolAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(AsioMemoryPool::allocate(sizeof(T) * n, alignof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { AsioMemoryPool::deallocate(p, sizeof(T) * n); }
    template <class U>
    bool operator==(const AsioPoolAllocator<U>&) const noexcept { return true; }
};

}  // namespace faultline::detail

namespace boost::asio::detail {

// Coroutine frames and the other tagged purposes call thread_info_base::allocate directly.
// (default_tag cannot be specialised there: thread_info_base's own inline members
// instantiate it.)
#define FAULTLINE_ASIO_POOLED(Tag)                                                                                   \
    template <>                                                                                                      \
    inline void* thread_info_base::allocate<thread_info_base::Tag>(Tag, thread_info_base*, std::size_t size,          \
                                                                   std::size_t align) {                             \
        return faultline::detail::AsioMemoryPool::allocate(size, align);                                             \
    }                                                                                                                \
    template <>                                                                                                      \
    inline void thread_info_base::deallocate<thread_info_base::Tag>(Tag, thread_info_base*, void* pointer,            \
                                                                    std::size_t size) {                             \
        faultline::detail::AsioMemoryPool::deallocate(pointer, size);                                                \
    }
FAULTLINE_ASIO_POOLED(awaitable_frame_tag)
FAULTLINE_ASIO_POOLED(executor_function_tag)
FAULTLINE_ASIO_POOLED(cancellation_signal_tag)
FAULTLINE_ASIO_POOLED(parallel_group_tag)
#undef FAULTLINE_ASIO_POOLED

// Operations of handlers without an allocator of their own (every co_await on a socket or a
// timer) get their memory through this trait with the default purpose.
template <>
struct get_recycling_allocator<std::allocator<void>, thread_info_base::default_tag> {
    using type = faultline::detail::AsioPoolAllocator<void>;
    static type get(const std::allocator<void>&) noexcept { return type(); }
};

}  // namespace boost::asio::detail
