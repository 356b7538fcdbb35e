#include <vector>

#include "faults/chunk.hpp"

namespace faultline::faults {

namespace {

std::vector<std::string>& spares() noexcept {
    thread_local std::vector<std::string> pool;
    return pool;
}

}  // namespace

std::string ChunkPool::take() {
    auto& pool = spares();
    if (pool.empty()) {
        std::string fresh;
        fresh.reserve(kChunkSize);
        return fresh;
    }
    std::string buffer = std::move(pool.back());
    pool.pop_back();
    buffer.clear();
    return buffer;
}

void ChunkPool::give(std::string&& buffer) noexcept {
    // Pieces cut by slicer or bandwidth are small; a buffer much larger than a chunk came
    // from elsewhere. Neither is worth keeping.
    if (buffer.capacity() < kChunkSize || buffer.capacity() > 2 * kChunkSize) return;
    auto& pool = spares();
    if (pool.size() >= kMaxSpare) return;
    try {
        if (pool.capacity() < kMaxSpare) pool.reserve(kMaxSpare);  // once per thread
    } catch (...) {
        return;  // out of memory: the buffer is just freed
    }
    pool.push_back(std::move(buffer));  // within capacity: cannot throw
}

std::size_t ChunkPool::spare() noexcept { return spares().size(); }

}  // namespace faultline::faults
