#pragma once
// HdrHistogram-compatible latency histogram (bucket arithmetic of the C/Java/JS libraries,
// see shared/specs/hdrhistogram.md 6.1). Values are plain integers; faultline records
// microseconds (latency_us()).
//
// Memory is fixed at construction: one int64 count per index, counts_length() of them.
// record() is O(1), noexcept and never allocates, so it can sit on the request hot path.
// Not thread-safe: one histogram per worker, merged with add().
//
// Invariant: total_count() == sum of all counts <= INT64_MAX. Counts that would push the
// total past INT64_MAX are dropped (no realistic run gets there; hostile decoder input is
// rejected before it can).
//
// A moved-from Histogram may only be assigned to or destroyed.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace faultline {

class Histogram {
public:
    // Throws std::invalid_argument unless lowest_discernible >= 1,
    // highest_trackable >= 2 * lowest_discernible, significant_digits in 1..5 and the
    // resulting layout fits 64-bit values.
    Histogram(std::int64_t lowest_discernible, std::int64_t highest_trackable, int significant_digits);

    // faultline's standard latency histogram: 1 us .. 3'600'000'000 us (1 h), 3 digits.
    static Histogram latency_us();

    // Records `value` `count` times. Negative values record as 0. Values above
    // highest_trackable() are recorded as highest_trackable() and counted in saturated().
    // count <= 0 is ignored.
    void record(std::int64_t value, std::int64_t count = 1) noexcept;

    // Coordinated-omission correction (HdrHistogram recordValueWithExpectedInterval):
    // records value, then value - interval, value - 2*interval, ... while >= interval.
    // expected_interval <= 0 is a plain record(). Missing samples above highest_trackable()
    // count as saturated. Cost: one step per equivalent range touched (<= counts_length()),
    // not one per missing sample. noexcept, never allocates.
    void record_corrected(std::int64_t value, std::int64_t expected_interval) noexcept;

    // Adds every count of `other` (and its saturated count). Throws std::invalid_argument
    // unless both have the same lowest/highest/significant digits. Self-add doubles.
    void add(const Histogram& other);

    void reset() noexcept;

    std::int64_t total_count() const noexcept { return total_; }
    // Values clamped to highest_trackable() by record(); not part of the V2 encoding.
    std::int64_t saturated() const noexcept { return saturated_; }

    // Lowest equivalent value of the first non-empty index; 0 when empty.
    std::int64_t min() const noexcept;
    // Highest equivalent value of the last non-empty index; 0 when empty.
    std::int64_t max() const noexcept;
    // Sum of median_equivalent * count (exact) divided once by total_count(); 0 when empty.
    double mean() const noexcept;
    // Population standard deviation over median-equivalent values; 0 when empty.
    double stddev() const noexcept;
    // Java/JS rule: target = max(1, ceil(fp - ulp(fp))) with fp = min(p,100)/100 * total;
    // returns the highest equivalent value of the index where the cumulative count
    // reaches target (the lowest for p <= 0). p is clamped to [0, 100]; NaN counts as 0.
    // p = 100 is max() (Java agrees below 2^53 counts, where its double rank stays exact).
    // O(counts_length()). 0 when empty.
    std::int64_t value_at_percentile(double p) const noexcept;

    std::int64_t lowest_discernible() const noexcept { return lowest_; }
    std::int64_t highest_trackable() const noexcept { return highest_; }
    int significant_digits() const noexcept { return digits_; }

    // Derived layout (HdrHistogram names: unitMagnitude, subBucketCount, bucketCount).
    int unit_magnitude() const noexcept { return unit_magnitude_; }
    std::int64_t sub_bucket_count() const noexcept { return sub_bucket_count_; }
    int bucket_count() const noexcept { return bucket_count_; }

    std::size_t counts_length() const noexcept { return counts_.size(); }
    // 0 for i >= counts_length().
    std::int64_t count_at_index(std::size_t i) const noexcept;

    // Index whose equivalent range holds v (negative v as 0). May be >= counts_length()
    // for v above the covered range; callers that index counts must check.
    std::size_t index_of(std::int64_t value) const noexcept;
    // Lowest value of index i. Requires i < counts_length() (larger i is clamped).
    std::int64_t value_at_index(std::size_t i) const noexcept;
    std::int64_t lowest_equivalent(std::int64_t v) const noexcept;
    std::int64_t highest_equivalent(std::int64_t v) const noexcept;
    std::int64_t median_equivalent(std::int64_t v) const noexcept;
    std::int64_t equivalent_range_size(std::int64_t v) const noexcept;

    // For decoders. Throws std::out_of_range for i >= counts_length(),
    // std::invalid_argument for count < 0 and std::overflow_error if the total would
    // exceed INT64_MAX. Keeps total/min/max consistent.
    void set_count_at_index(std::size_t i, std::int64_t count);

    // Index of the last non-empty count; 0 when empty (what the V2 encoder writes up to).
    std::size_t max_index() const noexcept { return total_ == 0 ? 0 : max_index_; }

private:
    struct Position {
        int bucket;
        std::int64_t sub;
    };
    Position position_of(std::int64_t v) const noexcept;
    void add_at_index(std::size_t i, std::int64_t count) noexcept;
    void rescan_extremes() noexcept;

    std::int64_t lowest_;
    std::int64_t highest_;
    int digits_;
    int unit_magnitude_ = 0;
    int sub_bucket_half_count_magnitude_ = 0;
    std::int64_t sub_bucket_count_ = 0;
    std::int64_t sub_bucket_half_count_ = 0;
    std::int64_t sub_bucket_mask_ = 0;
    int bucket_count_ = 0;

    std::vector<std::int64_t> counts_;
    std::int64_t total_ = 0;
    std::int64_t saturated_ = 0;
    // Non-empty index range; meaningful only while total_ > 0.
    std::size_t min_index_ = 0;
    std::size_t max_index_ = 0;
};

}  // namespace faultline
