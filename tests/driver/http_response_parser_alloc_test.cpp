// Checks that the response parser allocates nothing in steady state, with a counting global
// operator new. The replacement is global for the whole test binary, so it only counts while
// this thread has switched counting on; at all other times it behaves like the default.
#include "driver/http_response_parser.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace {

thread_local bool t_counting = false;
thread_local std::size_t t_allocations = 0;

void* counted_alloc(std::size_t size) {
    if (t_counting) ++t_allocations;
    // malloc(0) may return null; operator new must return a unique pointer.
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}

void* counted_aligned_alloc(std::size_t size, std::align_val_t align) {
    if (t_counting) ++t_allocations;
    const auto a = static_cast<std::size_t>(align);
    // aligned_alloc wants a non-zero size that is a multiple of the alignment.
    const std::size_t rounded = (std::max<std::size_t>(size, 1) + a - 1) / a * a;
    if (void* p = std::aligned_alloc(a, rounded)) return p;
    throw std::bad_alloc();
}

// Counts allocations made on this thread during its lifetime.
class AllocationCounter {
public:
    AllocationCounter() noexcept {
        t_allocations = 0;
        t_counting = true;
    }
    ~AllocationCounter() { t_counting = false; }
    AllocationCounter(const AllocationCounter&) = delete;
    AllocationCounter& operator=(const AllocationCounter&) = delete;
    std::size_t count() const noexcept { return t_allocations; }
};

}  // namespace

// Every form is replaced, so that each allocation is counted and every pair agrees on
// malloc/free (sanitizers check that the deallocation matches the allocation).
void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return counted_alloc(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void* operator new(std::size_t size, std::align_val_t align) { return counted_aligned_alloc(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return counted_aligned_alloc(size, align); }
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    try {
        return counted_aligned_alloc(size, align);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t& tag) noexcept {
    return operator new(size, align, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

using faultline::HttpResponseParser;
using faultline::ParseStatus;

TEST_CASE("the allocation counter sees allocations while on") {
    std::size_t seen = 0;
    {
        AllocationCounter counter;
        auto* p = new std::vector<int>(100);
        delete p;
        seen = counter.count();
    }
    CHECK(seen == 2);
}

TEST_CASE("parsing 10,000 responses allocates nothing") {
    const std::string with_length =
        "HTTP/1.1 200 OK\r\nServer: t\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Length: 10\r\n\r\n0123456789";
    const std::string chunked =
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nConnection: keep-alive\r\n\r\n"
        "5;x=y\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n";
    const std::string no_body = "HTTP/1.1 204 No Content\nConnection: close\n\n";
    constexpr int kResponses = 10'000;
    std::string wire;
    for (int i = 0; i < kResponses; ++i) wire += i % 3 == 0 ? with_length : i % 3 == 1 ? chunked : no_body;

    HttpResponseParser parser;
    int completed = 0, errors = 0;
    std::uint64_t body = 0;
    std::size_t allocations = 0;
    {
        AllocationCounter counter;
        // Pieces of 1..61 bytes, so responses straddle feeds at many different points.
        std::size_t pos = 0, piece = 1;
        while (pos < wire.size()) {
            const std::size_t end = std::min(wire.size(), pos + piece);
            piece = piece % 61 + 1;
            while (pos < end) {
                std::size_t used = 0;
                const ParseStatus st = parser.feed(wire.data() + pos, end - pos, used);
                pos += used;
                if (st == ParseStatus::need_more) break;
                if (st == ParseStatus::error) {
                    ++errors;
                    pos = wire.size();
                    break;
                }
                ++completed;
                body += parser.body_bytes();
                parser.reset();
            }
        }
        allocations = counter.count();
    }
    CHECK(allocations == 0);
    CHECK(errors == 0);
    CHECK(completed == kResponses);
    CHECK(body == 3334u * 10 + 3333u * 31);
}
