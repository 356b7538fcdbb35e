#pragma once
// PURE: how a run is split over shards (processes, docs/distributed.md) and, within each
// shard, over driver threads.
//
// The single-machine run numbers its arrivals (open model), its VUs and its iterations
// 0, 1, 2, ... Shard I of N takes the numbers i ≡ I (mod N); its thread t of T takes, of
// those, every T-th one:
//
//     shard I, thread t  takes  i ≡ I + N*t  (mod N*T)
//
//     i:        0  1  2  3  4  5  6  7  8  9 10 11      (N = 3 shards, T = 2 threads)
//     shard 0:  t0       t1       t0       t1
//     shard 1:     t0       t1       t0       t1
//     shard 2:        t0       t1       t0       t1
//
// Every i has exactly one (I, t): I = i mod N, t = (i div N) mod T. So the union of all
// shards' threads is exactly the single-machine sequence, ramps included, because each
// arrival's intended time is a function of its global number alone.
#include <cstddef>
#include <cstdint>

#include "reports/run_result.hpp"

namespace faultline {

// The numbers one thread takes: index, index + count, index + 2*count, ...
struct ArrivalSlice {
    unsigned index = 0;
    unsigned count = 1;
};

constexpr ArrivalSlice arrival_slice(ShardId shard, unsigned thread, unsigned threads) noexcept {
    const unsigned n = shard.count == 0 ? 1 : shard.count;
    const unsigned t = threads == 0 ? 1 : threads;
    return {shard.index + n * thread, n * t};
}

// How many of 0 .. total-1 are ≡ i (mod n): total split into n parts that differ by at
// most one, the larger ones first.
constexpr std::uint64_t share(std::uint64_t total, unsigned n, unsigned i) noexcept {
    if (n == 0) return total;
    return total / n + (i < total % n ? 1 : 0);
}

// A `sequential` data feed of `rows` rows split over shards: shard I owns rows I, I+N,
// I+2N, ... below `rows` and walks them in order, wrapping around within them, so no two
// shards ever use the same row. `number` is a global iteration number of shard I
// (≡ I mod N); its k-th iteration (number = I + N*k) uses its partition's row k mod size.
// Unsharded this is `number mod rows`. A shard that owns no row (rows <= I) is refused
// before the run (rows_per_shard() == 0); here it falls back to `number mod rows`.
constexpr std::size_t rows_per_shard(std::size_t rows, ShardId shard) noexcept {
    const std::size_t n = shard.count == 0 ? 1 : shard.count;
    return rows > shard.index ? (rows - shard.index + n - 1) / n : 0;
}

constexpr std::size_t sequential_row(std::uint64_t number, std::size_t rows, ShardId shard) noexcept {
    if (rows == 0) return 0;
    const std::size_t part = rows_per_shard(rows, shard);
    if (part == 0) return static_cast<std::size_t>(number % rows);
    const std::uint64_t n = shard.count == 0 ? 1 : shard.count;
    const std::uint64_t k = number / n;
    return shard.index + static_cast<std::size_t>(n * (k % part));
}

}  // namespace faultline
