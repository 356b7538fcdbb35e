// Writes histograms encoded by faultline, with the statistics faultline computes for them,
// as a JSON array for hdr_js_check.mjs to decode with hdr-histogram-js and compare.
// Usage: hdr_interop_emit [output.json]   (stdout without an argument)
#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "reports/hdr_codec.hpp"

using faultline::Histogram;

namespace {

// JS numbers are doubles: every count and value we emit must stay exact.
constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;
constexpr double kPercentiles[] = {0, 1, 25, 33.3, 50, 66.7, 90, 99, 99.9, 99.99, 99.999, 100};

struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
    double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
};

std::vector<std::pair<std::string, Histogram>> build_cases() {
    std::vector<std::pair<std::string, Histogram>> cases;
    const auto add = [&](std::string name, Histogram h) { cases.emplace_back(std::move(name), std::move(h)); };
    add("empty", Histogram::latency_us());

    Histogram single = Histogram::latency_us();
    single.record(4242);
    add("single_value", std::move(single));

    Histogram uniform = Histogram::latency_us();
    for (std::int64_t v = 1; v <= 10'000; ++v) uniform.record(v);
    add("uniform_1_10000", std::move(uniform));

    // faultline's typical shape: a fast mode on 1-5 ms and a slow tail on 1-2 s.
    SplitMix64 rng{0xfa17'11e5};
    Histogram bimodal = Histogram::latency_us();
    for (int i = 0; i < 99'000; ++i)
        bimodal.record(1000 + static_cast<std::int64_t>(4001 * (rng.unit() + rng.unit()) / 2));
    for (int i = 0; i < 1000; ++i) bimodal.record(1'000'000 + static_cast<std::int64_t>(1'000'001 * rng.unit()));
    add("bimodal_latency", std::move(bimodal));

    Histogram large = Histogram::latency_us();
    // LEB128 words of 1 to 8 bytes; the total stays below 2^53.
    const std::pair<std::int64_t, std::int64_t> large_counts[] = {
        {1, 63}, {2, 64}, {3, 8191}, {4, 8192}, {10, (std::int64_t{1} << 31) - 1}, {11, std::int64_t{1} << 31},
        {12, std::int64_t{1} << 32}, {100, std::int64_t{1} << 44}, {5000, std::int64_t{1} << 48},
        {9'000'000, std::int64_t{1} << 50}};
    for (const auto& [v, n] : large_counts) large.record(v, n);
    add("large_counts", std::move(large));

    Histogram top = Histogram::latency_us();
    for (std::int64_t v : {std::int64_t{2'147'483'647}, std::int64_t{2'147'483'648}, std::int64_t{3'599'999'999}})
        top.record(v, 3);
    top.record(3'600'000'000);
    top.record(5'000'000'000, 2);  // clamped to 1 h: JS sees them at the top index
    add("near_highest_and_saturated", std::move(top));

    Histogram sparse = Histogram::latency_us();
    for (std::int64_t v : {0, 2, 4, 7, 2047, 20'000, 900'000, 1'000'000'000}) sparse.record(v, v % 5 + 1);
    add("zero_runs", std::move(sparse));

    Histogram coarse(1000, 60'000'000, 2);
    for (int i = 0; i < 5000; ++i) coarse.record(static_cast<std::int64_t>(1000 * std::pow(60'000.0, rng.unit())));
    add("lowest1000_digits2", std::move(coarse));

    Histogram wrk2(1, 86'400'000'000, 3);
    for (int i = 0; i < 3000; ++i) wrk2.record(static_cast<std::int64_t>(std::pow(80e9, rng.unit())));
    add("wrk2_config", std::move(wrk2));

    Histogram fine(1, 3'600'000'000, 5);
    for (int i = 0; i < 3000; ++i) fine.record(static_cast<std::int64_t>(std::pow(3.6e9, rng.unit())), 1 + i % 4);
    add("digits5", std::move(fine));

    Histogram coarsest(7, 1'000'000, 1);
    for (int i = 0; i < 2000; ++i) coarsest.record(static_cast<std::int64_t>(1'000'000 * rng.unit()));
    add("lowest7_digits1", std::move(coarsest));

    Histogram corrected = Histogram::latency_us();
    for (int i = 0; i < 2000; ++i)
        corrected.record_corrected(500 + static_cast<std::int64_t>(rng.next() % 20'000), 1000);
    corrected.record_corrected(2'000'000, 1000);
    add("coordinated_omission_corrected", std::move(corrected));

    Histogram merged = Histogram::latency_us();
    for (const auto& [name, h] : cases)
        if (h.lowest_discernible() == 1 && h.highest_trackable() == 3'600'000'000 && h.significant_digits() == 3 &&
            name != "large_counts")
            merged.add(h);
    add("merged", std::move(merged));
    return cases;
}

boost::json::object describe(const std::string& name, const Histogram& h) {
    boost::json::array percentiles;
    for (double p : kPercentiles) percentiles.push_back(boost::json::array{p, h.value_at_percentile(p)});
    return {
        {"name", name},
        {"base64", faultline::encode_compressed_base64(h)},
        {"lowest", h.lowest_discernible()},
        {"highest", h.highest_trackable()},
        {"digits", h.significant_digits()},
        {"count", h.total_count()},
        {"min", h.min()},
        {"max", h.max()},
        {"mean", h.mean()},
        {"stddev", h.stddev()},
        {"p50", h.value_at_percentile(50)},
        {"p99", h.value_at_percentile(99)},
        {"p999", h.value_at_percentile(99.9)},
        {"percentiles", std::move(percentiles)},
    };
}

}  // namespace

int main(int argc, char** argv) {
    boost::json::array out;
    for (const auto& [name, h] : build_cases()) {
        if (h.total_count() > kMaxSafeInteger || h.max() > kMaxSafeInteger) {
            std::cerr << name << ": not exactly representable in JS numbers\n";
            return 2;
        }
        out.push_back(describe(name, h));
    }
    const std::string text = boost::json::serialize(out);
    if (argc < 2) {
        std::cout << text << '\n';
        return 0;
    }
    std::ofstream file(argv[1], std::ios::binary | std::ios::trunc);
    file << text << '\n';
    if (!file) {
        std::cerr << "cannot write " << argv[1] << '\n';
        return 1;
    }
    std::cout << "wrote " << out.size() << " histograms to " << argv[1] << '\n';
    return 0;
}
