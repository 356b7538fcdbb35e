#include "reports/histogram.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include "tests/support/paths.hpp"

using faultline::Histogram;
namespace json = boost::json;

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

json::value load_json(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

std::int64_t as_int(const json::value& v) { return v.to_number<std::int64_t>(); }

Histogram from_params(const json::object& params) {
    return Histogram(as_int(params.at("lowestDiscernibleValue")), as_int(params.at("highestTrackableValue")),
                     static_cast<int>(as_int(params.at("numberOfSignificantValueDigits"))));
}

void require_same_counts(const Histogram& a, const Histogram& b) {
    REQUIRE(a.counts_length() == b.counts_length());
    for (std::size_t i = 0; i < a.counts_length(); ++i) {
        if (a.count_at_index(i) != b.count_at_index(i)) {
            INFO("index " << i);
            REQUIRE(a.count_at_index(i) == b.count_at_index(i));
        }
    }
    REQUIRE(a.total_count() == b.total_count());
}

// The naive reference: every recorded value kept and sorted. Percentile p (given in
// thousandths of a percent so the rank is exact integer arithmetic) is the highest
// equivalent value of the ceil(p * n)-th smallest value.
struct Naive {
    std::map<std::int64_t, std::int64_t> counts;  // value -> count, sorted
    std::int64_t n = 0;

    void add(std::int64_t v, std::int64_t c) { counts[v] += c, n += c; }

    std::int64_t nth(std::int64_t rank) const {  // 1-based
        std::int64_t seen = 0;
        for (const auto& [v, c] : counts)
            if ((seen += c) >= rank) return v;
        return counts.rbegin()->first;
    }
    std::int64_t percentile(const Histogram& h, std::int64_t milli_percent) const {
        if (milli_percent == 0) return h.lowest_equivalent(counts.begin()->first);
        const std::int64_t rank = (milli_percent * n + 99'999) / 100'000;
        return h.highest_equivalent(nth(std::max<std::int64_t>(rank, 1)));
    }
};

void check_against_naive(const Histogram& h, const Naive& naive) {
    REQUIRE(h.total_count() == naive.n);
    CHECK(h.min() == h.lowest_equivalent(naive.counts.begin()->first));
    CHECK(h.max() == h.highest_equivalent(naive.counts.rbegin()->first));
    for (std::int64_t mp : {0, 1, 1000, 10'000, 25'000, 33'300, 50'000, 66'700, 75'000, 90'000, 95'000, 99'000,
                            99'900, 99'990, 99'999, 100'000}) {
        INFO("percentile " << mp / 1000.0);
        CHECK(h.value_at_percentile(static_cast<double>(mp) / 1000.0) == naive.percentile(h, mp));
    }
    __int128 sum = 0;
    for (const auto& [v, c] : naive.counts) sum += static_cast<__int128>(h.median_equivalent(v)) * c;
    const double mean = static_cast<double>(sum) / static_cast<double>(naive.n);
    CHECK(h.mean() == mean);
    double squares = 0;
    for (const auto& [v, c] : naive.counts) {
        const double d = static_cast<double>(h.median_equivalent(v)) - mean;
        squares += d * d * static_cast<double>(c);
    }
    CHECK(h.stddev() == Approx(std::sqrt(squares / static_cast<double>(naive.n))).epsilon(1e-12));
}

}  // namespace

TEST_CASE("index math matches the hdr-histogram-js probes for every config") {
    const json::value golden = load_json(faultline::test::hdr_golden_dir() / "index_math.json");
    for (const json::value& config : golden.at("configs").as_array()) {
        const Histogram h = from_params(config.at("params").as_object());
        const json::object& layout = config.at("layout").as_object();
        INFO("config " << json::serialize(config.at("params")));
        CHECK(h.sub_bucket_count() == as_int(layout.at("subBucketCount")));
        CHECK(h.unit_magnitude() == as_int(layout.at("unitMagnitude")));
        CHECK(h.bucket_count() == as_int(layout.at("bucketCount")));
        CHECK(static_cast<std::int64_t>(h.counts_length()) == as_int(layout.at("countsArrayLength")));
        for (const json::value& row_value : config.at("values").as_array()) {
            const json::array& row = row_value.as_array();
            const std::int64_t v = as_int(row[0]);
            INFO("value " << v);
            CHECK(static_cast<std::int64_t>(h.index_of(v)) == as_int(row[1]));
            CHECK(h.value_at_index(static_cast<std::size_t>(as_int(row[1]))) == as_int(row[2]));
            CHECK(h.lowest_equivalent(v) == as_int(row[3]));
            CHECK(h.highest_equivalent(v) == as_int(row[4]));
            CHECK(h.median_equivalent(v) == as_int(row[5]));
            CHECK(h.equivalent_range_size(v) == as_int(row[6]));
        }
        for (const json::value& row_value : config.at("indexes").as_array()) {
            const json::array& row = row_value.as_array();
            const auto i = static_cast<std::size_t>(as_int(row[0]));
            INFO("index " << i);
            CHECK(h.value_at_index(i) == as_int(row[1]));
            CHECK(h.highest_equivalent(h.value_at_index(i)) == as_int(row[2]));
        }
    }
}

TEST_CASE("bucket math is self-consistent across the covered range") {
    for (const Histogram& h : {Histogram::latency_us(), Histogram(1000, 60'000'000, 2), Histogram(1, kInt64Max, 5),
                               Histogram(7, 1'000'000, 1)}) {
        INFO("L " << h.lowest_discernible() << " H " << h.highest_trackable() << " S " << h.significant_digits());
        // Every index's range starts right after the previous one ends, covering [0, top].
        // Plain ifs: millions of indexes, one Catch assertion per failure only.
        const double resolution = std::pow(10.0, -h.significant_digits());
        std::int64_t expected_low = 0;
        for (std::size_t i = 0; i < h.counts_length(); ++i) {
            const std::int64_t low = h.value_at_index(i);
            const std::int64_t high = h.highest_equivalent(low);
            const bool ok = low == expected_low && h.index_of(low) == i && h.index_of(high) == i &&
                            high - low + 1 == h.equivalent_range_size(low) &&
                            h.lowest_equivalent(high) == low &&
                            h.median_equivalent(high) == low + (high - low + 1) / 2 &&
                            // S significant digits once past bucket 0: range / value <= 10^-S.
                            (i < static_cast<std::size_t>(h.sub_bucket_count()) ||
                             static_cast<double>(high - low + 1) / static_cast<double>(low) <= resolution);
            if (!ok) {
                INFO("index " << i << " low " << low << " high " << high << " expected low " << expected_low);
                REQUIRE(ok);
            }
            expected_low = high == kInt64Max ? high : high + 1;
        }
        CHECK(h.index_of(h.highest_trackable()) < h.counts_length());
    }
}

TEST_CASE("invalid configurations are rejected") {
    CHECK_THROWS_AS(Histogram(0, 100, 3), std::invalid_argument);
    CHECK_THROWS_AS(Histogram(-5, 100, 3), std::invalid_argument);
    CHECK_THROWS_AS(Histogram(10, 19, 3), std::invalid_argument);
    CHECK_NOTHROW(Histogram(10, 20, 3));
    CHECK_THROWS_AS(Histogram(1, 100, 0), std::invalid_argument);
    CHECK_THROWS_AS(Histogram(1, 100, 6), std::invalid_argument);
    CHECK_THROWS_AS(Histogram(std::int64_t{1} << 60, kInt64Max, 3), std::invalid_argument);
    CHECK_NOTHROW(Histogram(std::int64_t{1} << 51, kInt64Max, 3));
}

TEST_CASE("percentiles, min, max, mean and stddev match a naive sorted reference") {
    std::mt19937_64 rng(20240611);
    struct Case {
        Histogram h;
        std::int64_t max_value;
        bool log_uniform;
        std::int64_t max_count;
    };
    std::vector<Case> cases{
        {Histogram::latency_us(), 1'000'000, false, 1},
        {Histogram::latency_us(), 3'600'000'000, true, 1},
        {Histogram::latency_us(), 50'000, false, 1000},
        {Histogram(1000, 60'000'000, 2), 60'000'000, true, 3},
        {Histogram(1, 86'400'000'000, 5), 86'400'000'000, true, 1},
    };
    for (Case& c : cases) {
        for (int round = 0; round < 3; ++round) {
            c.h.reset();
            Naive naive;
            const int samples = 1 + static_cast<int>(rng() % 20'000);
            for (int i = 0; i < samples; ++i) {
                const double u = std::uniform_real_distribution<double>(0, 1)(rng);
                const auto v = c.log_uniform ? static_cast<std::int64_t>(std::pow(static_cast<double>(c.max_value), u))
                                             : static_cast<std::int64_t>(u * static_cast<double>(c.max_value));
                const auto n = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(c.max_count));
                c.h.record(v, n);
                naive.add(v, n);
            }
            INFO("L " << c.h.lowest_discernible() << " samples " << samples);
            check_against_naive(c.h, naive);
        }
    }
}

TEST_CASE("the percentile rank subtracts one ulp before ceil") {
    // 99.9% of 1000 is 999.0000000000001 in doubles: a plain ceil would pick rank 1000.
    Histogram h = Histogram::latency_us();
    Naive naive;
    for (std::int64_t v = 1; v <= 1000; ++v) h.record(v), naive.add(v, 1);
    REQUIRE(99.9 / 100.0 * 1000.0 > 999.0);
    CHECK(h.value_at_percentile(99.9) == naive.percentile(h, 99'900));
    CHECK(h.value_at_percentile(99.9) != naive.percentile(h, 100'000));
}

TEST_CASE("out-of-range percentiles clamp") {
    Histogram h = Histogram::latency_us();
    for (std::int64_t v : {5, 500, 50'000}) h.record(v);
    CHECK(h.value_at_percentile(250) == h.value_at_percentile(100));
    CHECK(h.value_at_percentile(-3) == h.value_at_percentile(0));
    CHECK(h.value_at_percentile(std::nan("")) == h.value_at_percentile(0));
    CHECK(h.value_at_percentile(0) == h.min());
    CHECK(h.value_at_percentile(100) == h.max());
}

TEST_CASE("an empty histogram reports zeros") {
    const Histogram h = Histogram::latency_us();
    CHECK(h.total_count() == 0);
    CHECK(h.min() == 0);
    CHECK(h.max() == 0);
    CHECK(h.mean() == 0);
    CHECK(h.stddev() == 0);
    CHECK(h.value_at_percentile(50) == 0);
    CHECK(h.max_index() == 0);
}

TEST_CASE("values above highest trackable are clamped and counted as saturated") {
    Histogram h = Histogram::latency_us();
    const std::int64_t top = h.highest_trackable();
    h.record(top);
    h.record(top + 1);
    h.record(kInt64Max, 3);
    h.record(-42);
    CHECK(h.saturated() == 4);
    CHECK(h.total_count() == 6);
    CHECK(h.count_at_index(h.index_of(top)) == 5);
    CHECK(h.count_at_index(0) == 1);
    CHECK(h.max() == h.highest_equivalent(top));
    CHECK(h.min() == 0);
    h.record(7, 0);
    h.record(7, -5);
    CHECK(h.total_count() == 6);
}

TEST_CASE("counts never push the total past INT64_MAX") {
    Histogram h = Histogram::latency_us();
    h.record(10, kInt64Max - 5);
    h.record(20, 100);
    CHECK(h.total_count() == kInt64Max);
    CHECK(h.count_at_index(h.index_of(20)) == 5);
    CHECK(h.value_at_percentile(100) == h.max());
}

TEST_CASE("record_corrected equals recording every missing sample one by one") {
    struct Case {
        std::int64_t value, interval;
    };
    for (const Case c : {Case{1000, 100}, Case{1000, 1000}, Case{999, 1000}, Case{0, 10}, Case{-7, 3}, Case{5000, 0},
                         Case{5000, -1}, Case{123'456'789, 997}, Case{3'600'000'000, 1000}, Case{3'700'000'000, 10'000},
                         Case{7'300'000'000, 1'000'000}, Case{4'000'000, 1}}) {
        INFO("value " << c.value << " interval " << c.interval);
        Histogram fast = Histogram::latency_us();
        Histogram slow = Histogram::latency_us();
        fast.record(3);  // pre-existing content must be kept
        slow.record(3);
        fast.record_corrected(c.value, c.interval);
        slow.record(c.value);
        if (c.interval > 0)
            for (std::int64_t missing = c.value - c.interval; missing >= c.interval; missing -= c.interval)
                slow.record(missing);
        require_same_counts(fast, slow);
        CHECK(fast.saturated() == slow.saturated());
    }
}

TEST_CASE("add merges counts and saturation of identically configured histograms") {
    Histogram a = Histogram::latency_us();
    Histogram b = Histogram::latency_us();
    Histogram both = Histogram::latency_us();
    std::mt19937_64 rng(7);
    for (int i = 0; i < 5000; ++i) {
        const auto v = static_cast<std::int64_t>(rng() % 5'000'000'000);
        (i % 3 == 0 ? a : b).record(v);
        both.record(v);
    }
    a.add(b);
    require_same_counts(a, both);
    CHECK(a.saturated() == both.saturated());
    CHECK(a.saturated() > 0);
    CHECK(a.min() == both.min());
    CHECK(a.max() == both.max());

    Histogram doubled = both;
    doubled.add(doubled);
    CHECK(doubled.total_count() == 2 * both.total_count());
    CHECK(doubled.count_at_index(both.max_index()) == 2 * both.count_at_index(both.max_index()));

    Histogram empty = Histogram::latency_us();
    empty.add(Histogram::latency_us());
    CHECK(empty.total_count() == 0);

    CHECK_THROWS_AS(a.add(Histogram(1, 3'600'000'000, 2)), std::invalid_argument);
    CHECK_THROWS_AS(a.add(Histogram(2, 3'600'000'000, 3)), std::invalid_argument);
    CHECK_THROWS_AS(a.add(Histogram(1, 3'600'000'001, 3)), std::invalid_argument);
}

TEST_CASE("reset empties the histogram and keeps it usable") {
    Histogram h = Histogram::latency_us();
    h.record(1234, 10);
    h.record(kInt64Max);
    h.reset();
    CHECK(h.total_count() == 0);
    CHECK(h.saturated() == 0);
    CHECK(h.max() == 0);
    for (std::size_t i = 0; i < h.counts_length(); ++i) REQUIRE(h.count_at_index(i) == 0);
    h.record(99);
    CHECK(h.min() == 99);
    CHECK(h.max() == 99);
    CHECK(h.total_count() == 1);
}

TEST_CASE("set_count_at_index keeps total, min and max consistent") {
    Histogram h = Histogram::latency_us();
    h.set_count_at_index(10, 4);
    h.set_count_at_index(5000, 2);
    h.set_count_at_index(300, 1);
    CHECK(h.total_count() == 7);
    CHECK(h.min() == h.value_at_index(10));
    CHECK(h.max() == h.highest_equivalent(h.value_at_index(5000)));
    h.set_count_at_index(5000, 0);
    CHECK(h.max() == h.highest_equivalent(h.value_at_index(300)));
    h.set_count_at_index(10, 0);
    CHECK(h.min() == h.value_at_index(300));
    h.set_count_at_index(300, 0);
    CHECK(h.total_count() == 0);
    CHECK(h.max() == 0);
    CHECK_THROWS_AS(h.set_count_at_index(h.counts_length(), 1), std::out_of_range);
    CHECK_THROWS_AS(h.set_count_at_index(0, -1), std::invalid_argument);
    h.set_count_at_index(0, kInt64Max);
    CHECK_THROWS_AS(h.set_count_at_index(1, 1), std::overflow_error);
    CHECK(h.total_count() == kInt64Max);
}

TEST_CASE("histograms copy and move as values") {
    Histogram a = Histogram::latency_us();
    a.record(42, 3);
    Histogram copy = a;
    copy.record(42);
    CHECK(a.total_count() == 3);
    CHECK(copy.total_count() == 4);
    Histogram moved = std::move(copy);
    CHECK(moved.total_count() == 4);
    CHECK(moved.counts_length() == a.counts_length());
    a = moved;
    CHECK(a.total_count() == 4);
}
