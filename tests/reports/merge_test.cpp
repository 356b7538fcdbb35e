// `report merge` core: exact sums and histogram unions, wall-clock interval alignment, and
// the refusals (docs/distributed.md).
#include "reports/merge.hpp"

#include <catch2/catch.hpp>

#include "reports/hdr_codec.hpp"
#include "reports/thresholds.hpp"

using namespace std::chrono_literals;
using namespace faultline;

namespace {

// A result whose interval j holds the latencies (us) of intervals[j], all answered 200.
RunResult synthetic(std::int64_t start_ms, const std::vector<std::vector<std::int64_t>>& intervals,
                    ShardId shard = {}, std::string sha = "abc", Duration interval = 1s) {
    RunResult r;
    r.info.interval = interval;
    r.info.threads = 1;
    r.info.connections = 4;
    r.info.asked_rate_per_s = 100;
    r.start_unix_ms = start_ms;
    r.shard = shard;
    r.scenario_sha256 = std::move(sha);
    const double interval_s = std::chrono::duration<double>(interval).count();
    for (std::size_t j = 0; j < intervals.size(); ++j) {
        Histogram h = Histogram::latency_us();
        for (auto us : intervals[j]) {
            h.record(us);
            r.latency.record(us);
            r.service_time.record(us / 2 + 1);
        }
        IntervalResult i;
        i.t_s = static_cast<double>(j) * interval_s;
        i.requests = intervals[j].size();
        i.responses = i.requests;
        if (i.requests) i.status_codes = {{200, i.requests}};
        i.p99_ms = static_cast<double>(h.value_at_percentile(99)) / 1000.0;
        i.hdr = encode_compressed_base64(h);
        r.intervals.push_back(i);
        r.requests += i.requests;
    }
    r.completed = r.responses = r.requests;
    r.errors[Outcome::success] = r.requests;
    if (r.requests) r.status_codes = {{200, r.requests}};
    r.duration_s = static_cast<double>(intervals.size()) * interval_s;
    r.rps = static_cast<double>(r.completed) / r.duration_s;
    StepResult step;
    step.name = "GET /";
    step.stats = r;
    step.stats.steps.clear();
    step.checks_status = 1;
    r.steps.push_back(step);
    return r;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to, std::int64_t step = 1) {
    std::vector<std::int64_t> v;
    for (auto x = from; x < to; x += step) v.push_back(x);
    return v;
}

}  // namespace

TEST_CASE("merge sums counts and adds histograms, so merged percentiles are exact") {
    const std::vector<NamedResult> in{
        {"a.json", synthetic(1'000'000, {range(100, 600), range(1000, 1500)}, {0, 3})},
        {"b.json", synthetic(1'000'000, {range(200, 300), range(50'000, 50'400)}, {1, 3})},
        {"c.json", synthetic(1'000'000, {range(5, 8000, 7), {}}, {2, 3})},
    };
    const auto m = merge_results(in, nullptr, {});
    REQUIRE(m.ok());
    const auto& r = m.result;
    Histogram all = Histogram::latency_us();
    std::uint64_t requests = 0;
    for (const auto& x : in) {
        all.add(x.result.latency);
        requests += x.result.requests;
    }
    CHECK(r.requests == requests);
    CHECK(r.completed == requests);
    CHECK(r.responses == requests);
    CHECK(r.status_codes == std::vector<std::pair<int, std::uint64_t>>{{200, requests}});
    CHECK(static_cast<std::uint64_t>(r.latency.total_count()) == requests);
    CHECK(r.latency.value_at_percentile(99) == all.value_at_percentile(99));
    CHECK(r.latency.value_at_percentile(50) == all.value_at_percentile(50));
    CHECK(r.latency.max() == all.max());
    CHECK(static_cast<std::uint64_t>(r.service_time.total_count()) == requests);
    CHECK(r.shard == ShardId{});
    CHECK(r.scenario_sha256 == "abc");
    CHECK(r.info.asked_rate_per_s == 300);
    CHECK(r.info.connections == 12);
    CHECK(r.start_unix_ms == 1'000'000);
    REQUIRE(r.intervals.size() == 2);
    // Interval 1: the union of the three shards' interval 1, recomputed from the histograms.
    Histogram second = Histogram::latency_us();
    for (const auto& x : in) second.add(decode_compressed_base64(x.result.intervals[1].hdr));
    CHECK(r.intervals[1].requests == 900);
    CHECK(r.intervals[1].p99_ms == static_cast<double>(second.value_at_percentile(99)) / 1000.0);
    CHECK(decode_compressed_base64(r.intervals[1].hdr).total_count() == 900);
    // Steps are merged the same way.
    REQUIRE(r.steps.size() == 1);
    CHECK(r.steps[0].stats.requests == requests);
    CHECK(r.steps[0].checks_status == 3);
    CHECK(r.steps[0].stats.latency.value_at_percentile(99) == all.value_at_percentile(99));
    CHECK(r.rps == Approx(static_cast<double>(requests) / 2.0));
}

TEST_CASE("merge aligns intervals on the wall clock") {
    // b started 2 s after a: its interval 0 is a's interval 2.
    const std::vector<NamedResult> in{
        {"a.json", synthetic(10'000, {{1000}, {1000}, {1000}})},
        {"b.json", synthetic(12'000, {{9000, 9000}, {9000, 9000}})},
    };
    const auto m = merge_results(in, nullptr, {});
    REQUIRE(m.ok());
    const auto& r = m.result;
    CHECK(r.start_unix_ms == 10'000);
    REQUIRE(r.intervals.size() == 4);
    CHECK(r.intervals[0].requests == 1);
    CHECK(r.intervals[1].requests == 1);
    CHECK(r.intervals[2].requests == 3);
    CHECK(r.intervals[3].requests == 2);
    CHECK(r.intervals[3].t_s == 3.0);
    CHECK(r.duration_s == Approx(4.0));  // b ends 2 s + 2 s after the origin
}

TEST_CASE("merge refuses what cannot be merged exactly") {
    SECTION("mixed interval lengths, even with --force") {
        const std::vector<NamedResult> in{{"a.json", synthetic(0, {{1}})}, {"b.json", synthetic(0, {{1}}, {}, "abc", 500ms)}};
        for (bool force : {false, true}) {
            const auto m = merge_results(in, nullptr, MergeOptions{force});
            REQUIRE(m.errors.size() == 1);
            CHECK_THAT(m.errors[0], Catch::Contains("b.json") && Catch::Contains("different lengths"));
        }
    }
    SECTION("different scenarios unless --force") {
        const std::vector<NamedResult> in{{"a.json", synthetic(0, {{1}})}, {"b.json", synthetic(0, {{1}}, {}, "def")}};
        const auto m = merge_results(in, nullptr, {});
        REQUIRE(m.errors.size() == 1);
        CHECK_THAT(m.errors[0], Catch::Contains("b.json: scenario def") && Catch::Contains("--force"));
        const auto forced = merge_results(in, nullptr, MergeOptions{true});
        REQUIRE(forced.ok());
        CHECK(forced.result.scenario_sha256.empty());
        CHECK_THAT(forced.result.warnings.front(), Catch::Contains("--force"));
    }
    SECTION("starts that are not whole intervals apart unless --force, which rounds") {
        const std::vector<NamedResult> in{{"a.json", synthetic(0, {{1}, {1}})}, {"b.json", synthetic(1'400, {{7}})}};
        const auto m = merge_results(in, nullptr, {});
        REQUIRE(m.errors.size() == 1);
        CHECK_THAT(m.errors[0], Catch::Contains("b.json: starts 1400 ms after") && Catch::Contains("--start-at"));
        const auto forced = merge_results(in, nullptr, MergeOptions{true});
        REQUIRE(forced.ok());
        CHECK(forced.result.intervals[1].requests == 2);  // 1.4 s rounds to interval 1
    }
    SECTION("the same shard twice, or mixed shard counts") {
        const std::vector<NamedResult> twice{{"a.json", synthetic(0, {{1}}, {1, 2})}, {"b.json", synthetic(0, {{1}}, {1, 2})}};
        CHECK_THAT(merge_results(twice, nullptr, {}).errors.at(0), Catch::Contains("shard 1/2 is given twice"));
        const std::vector<NamedResult> mixed{{"a.json", synthetic(0, {{1}}, {0, 2})}, {"b.json", synthetic(0, {{1}}, {0, 3})}};
        CHECK_THAT(merge_results(mixed, nullptr, {}).errors.at(0), Catch::Contains("b.json: shard 0/3"));
    }
    SECTION("a missing shard is merged with a warning") {
        const std::vector<NamedResult> in{{"a.json", synthetic(0, {{1}}, {0, 3})}, {"c.json", synthetic(0, {{1}}, {2, 3})}};
        const auto m = merge_results(in, nullptr, {});
        REQUIRE(m.ok());
        CHECK_THAT(m.result.warnings.front(), Catch::Contains("shard(s) 1 of 3 not merged"));
    }
    SECTION("a faults-only result as an input") {
        RunResult faults;
        faults.info.threads = 0;
        faults.scenario_sha256 = "abc";
        const std::vector<NamedResult> in{{"a.json", synthetic(0, {{1}})}, {"faults.json", faults}};
        CHECK_THAT(merge_results(in, nullptr, {}).errors.at(0), Catch::Contains("faults.json: holds no load"));
    }
}

TEST_CASE("merge analyses the fault process's windows on the merged timeline") {
    // Shards start at 10 s; intervals 3 and 4 are slow (a fault from 3 s to 5 s).
    std::vector<std::vector<std::int64_t>> slow(10, std::vector<std::int64_t>(50, 2000));
    slow[3] = slow[4] = std::vector<std::int64_t>(50, 900'000);
    const std::vector<NamedResult> in{{"a.json", synthetic(10'000, slow, {0, 2})}, {"b.json", synthetic(10'000, slow, {1, 2})}};
    RunResult faults;
    faults.start_unix_ms = 9'000;  // the fault process's origin, 1 s earlier: windows move by -1 s
    faults.scenario_sha256 = "abc";
    FaultImpact f;
    f.window = FaultWindow{{"db"}, "", "latency", 4.0, 6.0, 4.001, 6.002};
    faults.faults.push_back(f);
    const NamedResult faults_file{"faults.json", faults};
    auto m = merge_results(in, &faults_file, {});
    REQUIRE(m.ok());
    REQUIRE(m.windows.size() == 1);
    CHECK(m.windows[0].start_s == Approx(3.0));
    CHECK(m.windows[0].end_s == Approx(5.0));
    CHECK(*m.windows[0].applied_start_s == Approx(3.001));
    m.result.slo.latency = {LatencyLimit{"p99", 99, 100ms}};
    m.result.slo.recovery_time = 3s;
    m.result.slo.recovery_intervals = 2;
    apply_verdicts(m.result, m.windows);
    REQUIRE(m.result.faults.size() == 1);
    CHECK(m.result.faults[0].time_to_impact_s == Approx(0.0));
    CHECK(m.result.faults[0].recovery_time_s == Approx(0.0));
    CHECK_FALSE(passed(m.result));  // the run's P99 is in the slow intervals
}

TEST_CASE("merge: the generator was a bottleneck when it was in any shard") {
    auto quiet = synthetic(1'000'000, {{1000}}, {0, 2});
    auto busy = synthetic(1'000'000, {{1000}}, {1, 2});
    busy.generator_bottleneck = true;
    busy.warnings.push_back("event loop ran late: loop lag P99 12.000 ms");
    SECTION("one shard's flag carries over, with its warning named") {
        const auto m = merge_results({{"a.json", quiet}, {"b.json", busy}}, nullptr, {});
        REQUIRE(m.ok());
        CHECK(m.result.generator_bottleneck);
        CHECK(m.result.warnings == std::vector<std::string>{"b.json: event loop ran late: loop lag P99 12.000 ms"});
    }
    SECTION("no shard's flag, no flag") {
        auto other = synthetic(1'000'000, {{1000}}, {1, 2});
        const auto m = merge_results({{"a.json", quiet}, {"b.json", other}}, nullptr, {});
        REQUIRE(m.ok());
        CHECK_FALSE(m.result.generator_bottleneck);
    }
}
