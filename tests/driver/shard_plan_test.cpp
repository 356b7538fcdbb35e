// Sharding (docs/distributed.md): the union of all shards' threads is exactly the
// single-machine run: arrivals, VUs, iterations and sequential data rows.
#include "driver/shard_plan.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <vector>

#include "driver/arrival_schedule.hpp"
#include "driver/driver.hpp"
#include "driver/worker.hpp"

using namespace std::chrono_literals;
using faultline::ArrivalSchedule;
using faultline::RateStage;
using faultline::ShardId;

namespace {

std::vector<std::int64_t> drain(ArrivalSchedule& s) {
    std::vector<std::int64_t> out;
    while (auto o = s.next()) out.push_back(o->count());
    return out;
}

// The unsharded schedule against the union of N shards of T threads each, as multisets of
// exact nanosecond offsets.
void check_union(const std::vector<RateStage>& stages, double start_rate, std::optional<std::uint64_t> cap) {
    ArrivalSchedule single(stages, start_rate, cap);
    const auto expected = drain(single);
    const std::multiset<std::int64_t> want(expected.begin(), expected.end());
    for (unsigned shards : {1u, 2u, 3u, 5u})
        for (unsigned threads : {1u, 2u, 4u}) {
            std::multiset<std::int64_t> got;
            std::vector<std::size_t> per_shard(shards);
            for (unsigned i = 0; i < shards; ++i)
                for (unsigned t = 0; t < threads; ++t) {
                    const auto slice = faultline::arrival_slice(ShardId{i, shards}, t, threads);
                    ArrivalSchedule part(stages, start_rate, cap, slice.index, slice.count);
                    for (auto o : drain(part)) {
                        got.insert(o);
                        ++per_shard[i];
                    }
                }
            INFO(shards << " shards x " << threads << " threads");
            CHECK(got == want);
            // Each shard has 1/N of the arrivals, to within one.
            for (unsigned i = 0; i < shards; ++i) CHECK(per_shard[i] == faultline::share(expected.size(), shards, i));
        }
}

}  // namespace

TEST_CASE("shard slices cover every global number exactly once") {
    for (unsigned shards : {1u, 3u, 4u})
        for (unsigned threads : {1u, 2u, 3u}) {
            std::map<std::uint64_t, int> owners;
            for (unsigned i = 0; i < shards; ++i)
                for (unsigned t = 0; t < threads; ++t) {
                    const auto s = faultline::arrival_slice(ShardId{i, shards}, t, threads);
                    CHECK(s.count == shards * threads);
                    for (std::uint64_t n = s.index; n < 200; n += s.count) {
                        ++owners[n];
                        CHECK(n % shards == i);  // shard I takes i ≡ I (mod N)
                    }
                }
            REQUIRE(owners.size() == 200);
            for (auto [n, count] : owners) CHECK(count == 1);
        }
}

TEST_CASE("sharded constant-rate schedules union to the single-machine schedule exactly") {
    check_union({RateStage{2s, 700.0}}, -1, std::nullopt);
    check_union({RateStage{3s, 333.0}}, -1, 1001);  // a request cap counts global arrivals
}

TEST_CASE("sharded ramps union to the single-machine schedule exactly") {
    // Ramp up from zero, hold, ramp down, a warm-up-like first stage: every stage kind.
    check_union({RateStage{1s, 50.0}, RateStage{2s, 400.0}, RateStage{1s, 400.0}, RateStage{1500ms, 20.0}}, 0.0,
                std::nullopt);
    check_union({RateStage{2s, 10.0}, RateStage{2s, 250.0}}, 100.0, std::nullopt);
}

TEST_CASE("share splits as evenly as possible, the larger parts first") {
    CHECK(faultline::share(10, 3, 0) == 4);
    CHECK(faultline::share(10, 3, 1) == 3);
    CHECK(faultline::share(10, 3, 2) == 3);
    CHECK(faultline::share(2, 3, 2) == 0);
}

TEST_CASE("closed model: shards split VUs, connections and iterations as evenly as possible") {
    faultline::Scenario s;
    s.load.model = faultline::LoadModel::closed;
    s.load.start_vus = 0;
    s.load.stages = {faultline::Stage{10s, 0, 10}, faultline::Stage{10s, 0, 7}};
    s.load.iterations = 1000;
    s.http.connections = 10;
    const unsigned shards = 3;
    std::set<int> vus;
    std::uint64_t iterations = 0;
    for (unsigned i = 0; i < shards; ++i) {
        const auto plans = faultline::plan_workers(s, 2, ShardId{i, shards});
        REQUIRE(plans.size() == 2);
        int shard_vus = 0;
        std::uint64_t shard_iterations = 0;
        for (const auto& p : plans) {
            CHECK(p.shard == ShardId{i, shards});
            int mine = 0;
            // The worker runs VUs index, index + count, ... below the peak (worker_models.cpp).
            for (int v = static_cast<int>(p.index); v < 10; v += static_cast<int>(p.count)) {
                CHECK(vus.insert(v).second);
                CHECK(static_cast<unsigned>(v) % shards == i);
                ++mine;
            }
            CHECK(p.connections == mine);  // one connection per VU
            shard_vus += mine;
            shard_iterations += *p.iterations;
        }
        CHECK(shard_vus == static_cast<int>(faultline::share(10, shards, i)));  // 4, 3, 3
        CHECK(shard_iterations == faultline::share(1000, shards, i));           // 334, 333, 333
        iterations += shard_iterations;
    }
    CHECK(vus.size() == 10);
    CHECK(iterations == 1000);
}

TEST_CASE("open model: shards split connections and the pending queue") {
    faultline::Scenario s;
    s.load.stages = {faultline::Stage{10s, 300.0, 0}};
    s.http.connections = 64;
    s.http.max_pending = 300;
    int connections = 0;
    std::size_t pending = 0;
    for (unsigned i = 0; i < 3; ++i)
        for (const auto& p : faultline::plan_workers(s, 2, ShardId{i, 3})) {
            connections += p.connections;
            pending += p.max_pending;
            CHECK(p.connections >= 10);
        }
    CHECK(connections == 64);
    CHECK(pending == 300);
}

TEST_CASE("sequential data rows: each shard walks its own partition and wraps within it") {
    const std::size_t rows = 10;
    for (unsigned shards : {1u, 2u, 3u, 4u}) {
        std::map<std::size_t, unsigned> owner;
        for (unsigned i = 0; i < shards; ++i) {
            const ShardId shard{i, shards};
            const auto part = faultline::rows_per_shard(rows, shard);
            REQUIRE(part > 0);
            std::vector<std::size_t> walk;
            // The shard's iteration numbers are i, i + N, i + 2N, ... (any thread split).
            for (std::uint64_t k = 0; k < 3 * part; ++k) walk.push_back(faultline::sequential_row(i + shards * k, rows, shard));
            for (std::uint64_t k = 0; k < walk.size(); ++k) {
                INFO(shards << " shards, shard " << i << ", iteration " << k);
                CHECK(walk[k] == i + shards * (k % part));  // rows I, I+N, ... in order, wrapping
                CHECK(walk[k] < rows);
                auto [it, fresh] = owner.emplace(walk[k], i);
                CHECK(it->second == i);  // no row is used by two shards
            }
        }
        CHECK(owner.size() == rows);  // and every row is used
    }
    // Unsharded: row = iteration mod rows, as before sharding existed.
    for (std::uint64_t n = 0; n < 25; ++n) CHECK(faultline::sequential_row(n, rows, ShardId{}) == n % rows);
    CHECK(faultline::rows_per_shard(2, ShardId{2, 3}) == 0);  // refused before the run
}
