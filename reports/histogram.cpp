#include "reports/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace faultline {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// Smallest m with 2^m >= x (x >= 1).
int ceil_log2(std::int64_t x) {
    return 64 - std::countl_zero(static_cast<std::uint64_t>(x - 1));
}

// C's buckets_needed_to_cover_value: double the first untrackable value until it passes
// `highest`, stopping before int64 overflow (the extra bucket then covers up to INT64_MAX).
int buckets_to_cover(std::int64_t highest, std::int64_t sub_bucket_count, int unit_magnitude) {
    std::int64_t smallest_untrackable = sub_bucket_count << unit_magnitude;
    int buckets = 1;
    while (smallest_untrackable <= highest) {
        if (smallest_untrackable > kInt64Max / 2) return buckets + 1;
        smallest_untrackable <<= 1;
        ++buckets;
    }
    return buckets;
}

[[noreturn]] void bad_config(const std::string& why) {
    throw std::invalid_argument("histogram config: " + why);
}

}  // namespace

Histogram::Histogram(std::int64_t lowest, std::int64_t highest, int digits)
    : lowest_(lowest), highest_(highest), digits_(digits) {
    if (lowest < 1) bad_config("lowest discernible value must be >= 1");
    if (highest / 2 < lowest) bad_config("highest trackable value must be >= 2 * lowest discernible");
    if (digits < 1 || digits > 5) bad_config("significant digits must be 1..5");

    std::int64_t largest_single_unit = 2;
    for (int i = 0; i < digits; ++i) largest_single_unit *= 10;
    sub_bucket_half_count_magnitude_ = std::max(ceil_log2(largest_single_unit), 1) - 1;
    unit_magnitude_ = 63 - std::countl_zero(static_cast<std::uint64_t>(lowest));
    // Same limit as C (Java's unit + sub_bucket_count_magnitude <= 62 is identical): the
    // top sub-bucket of bucket 0 must still fit in a positive int64.
    if (unit_magnitude_ + sub_bucket_half_count_magnitude_ > 61)
        bad_config("lowest discernible value too large for the requested digits");

    sub_bucket_count_ = std::int64_t{1} << (sub_bucket_half_count_magnitude_ + 1);
    sub_bucket_half_count_ = sub_bucket_count_ / 2;
    sub_bucket_mask_ = (sub_bucket_count_ - 1) << unit_magnitude_;
    bucket_count_ = buckets_to_cover(highest, sub_bucket_count_, unit_magnitude_);
    counts_.assign(static_cast<std::size_t>(bucket_count_ + 1) * static_cast<std::size_t>(sub_bucket_half_count_), 0);
}

Histogram Histogram::latency_us() { return Histogram(1, 3'600'000'000, 3); }

Histogram::Position Histogram::position_of(std::int64_t v) const noexcept {
    const auto bits = static_cast<std::uint64_t>(std::max<std::int64_t>(v, 0) | sub_bucket_mask_);
    const int bucket = (64 - std::countl_zero(bits)) - unit_magnitude_ - (sub_bucket_half_count_magnitude_ + 1);
    return {bucket, std::max<std::int64_t>(v, 0) >> (bucket + unit_magnitude_)};
}

std::size_t Histogram::index_of(std::int64_t value) const noexcept {
    const Position p = position_of(value);
    // Bucket 0 uses the whole sub-bucket range; later buckets only their upper half:
    //   index = (bucket + 1) * half + (sub - half)
    const std::int64_t bucket_base = static_cast<std::int64_t>(p.bucket + 1) << sub_bucket_half_count_magnitude_;
    const std::int64_t index = bucket_base + (p.sub - sub_bucket_half_count_);
    return static_cast<std::size_t>(index);
}

std::int64_t Histogram::value_at_index(std::size_t i) const noexcept {
    const auto index = static_cast<std::int64_t>(std::min(i, counts_.size() - 1));
    int bucket = static_cast<int>(index >> sub_bucket_half_count_magnitude_) - 1;
    std::int64_t sub = (index & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
    if (bucket < 0) {
        sub -= sub_bucket_half_count_;
        bucket = 0;
    }
    return sub << (bucket + unit_magnitude_);
}

std::int64_t Histogram::equivalent_range_size(std::int64_t v) const noexcept {
    const Position p = position_of(v);
    const int adjusted = p.sub >= sub_bucket_count_ ? p.bucket + 1 : p.bucket;
    return std::int64_t{1} << (unit_magnitude_ + adjusted);
}

std::int64_t Histogram::lowest_equivalent(std::int64_t v) const noexcept {
    const Position p = position_of(v);
    return p.sub << (p.bucket + unit_magnitude_);
}

std::int64_t Histogram::highest_equivalent(std::int64_t v) const noexcept {
    // lowest + (size - 1), never (lowest + size) - 1: the top range ends at INT64_MAX.
    return lowest_equivalent(v) + (equivalent_range_size(v) - 1);
}

std::int64_t Histogram::median_equivalent(std::int64_t v) const noexcept {
    return lowest_equivalent(v) + equivalent_range_size(v) / 2;
}

std::int64_t Histogram::count_at_index(std::size_t i) const noexcept {
    return i < counts_.size() ? counts_[i] : 0;
}

void Histogram::add_at_index(std::size_t i, std::int64_t count) noexcept {
    const std::int64_t added = std::min(count, kInt64Max - total_);
    if (added <= 0) return;
    if (total_ == 0) {
        min_index_ = max_index_ = i;
    } else {
        min_index_ = std::min(min_index_, i);
        max_index_ = std::max(max_index_, i);
    }
    counts_[i] += added;
    total_ += added;
}

void Histogram::record(std::int64_t value, std::int64_t count) noexcept {
    if (count <= 0) return;
    if (value > highest_) {
        value = highest_;
        saturated_ += std::min(count, kInt64Max - saturated_);
    }
    add_at_index(index_of(value), count);
}

void Histogram::record_corrected(std::int64_t value, std::int64_t interval) noexcept {
    record(value);
    if (interval <= 0 || value < 0) return;
    // The missing samples are value - k*interval (k >= 1) down to `interval`. Instead of one
    // record() per sample (value / interval of them, unbounded), count how many fall into
    // each equivalent range and record them in one go: at most one step per index.
    std::int64_t cur = value - interval;
    if (cur < interval) return;
    if (cur > highest_) {
        const std::int64_t above = (cur - highest_ - 1) / interval + 1;
        record(cur, above);  // clamped and counted as saturated
        cur -= above * interval;
    }
    while (cur >= interval) {
        const std::int64_t floor = std::max(lowest_equivalent(cur), interval);
        const std::int64_t n = (cur - floor) / interval + 1;
        record(cur, n);
        cur -= n * interval;
    }
}

void Histogram::add(const Histogram& other) {
    if (other.lowest_ != lowest_ || other.highest_ != highest_ || other.digits_ != digits_)
        throw std::invalid_argument("Histogram::add: histograms have different lowest/highest/digits");
    if (other.total_ > 0) {
        // Captured first: for a self-add `other` grows while we loop.
        const std::size_t first = other.min_index_;
        const std::size_t last = other.max_index_;
        for (std::size_t i = first; i <= last; ++i)
            if (other.counts_[i] > 0) add_at_index(i, other.counts_[i]);
    }
    saturated_ += std::min(other.saturated_, kInt64Max - saturated_);
}

void Histogram::reset() noexcept {
    std::fill(counts_.begin(), counts_.end(), 0);
    total_ = 0;
    saturated_ = 0;
    min_index_ = max_index_ = 0;
}

void Histogram::rescan_extremes() noexcept {
    const auto nonzero = [](std::int64_t c) { return c != 0; };
    const auto first = std::find_if(counts_.begin(), counts_.end(), nonzero);
    const auto last = std::find_if(counts_.rbegin(), counts_.rend(), nonzero);
    min_index_ = static_cast<std::size_t>(first - counts_.begin());
    max_index_ = counts_.size() - 1 - static_cast<std::size_t>(last - counts_.rbegin());
}

void Histogram::set_count_at_index(std::size_t i, std::int64_t count) {
    if (i >= counts_.size()) throw std::out_of_range("Histogram::set_count_at_index: index past counts length");
    if (count < 0) throw std::invalid_argument("Histogram::set_count_at_index: negative count");
    const std::int64_t old = counts_[i];
    const std::int64_t others = total_ - old;
    if (count > kInt64Max - others) throw std::overflow_error("Histogram::set_count_at_index: total count overflows");
    counts_[i] = count;
    total_ = others + count;
    if (count > 0 && others == 0) {
        min_index_ = max_index_ = i;
    } else if (count > 0) {
        min_index_ = std::min(min_index_, i);
        max_index_ = std::max(max_index_, i);
    } else if (old > 0 && total_ > 0 && (i == min_index_ || i == max_index_)) {
        rescan_extremes();
    }
}

std::int64_t Histogram::min() const noexcept {
    return total_ == 0 ? 0 : value_at_index(min_index_);
}

std::int64_t Histogram::max() const noexcept {
    return total_ == 0 ? 0 : highest_equivalent(value_at_index(max_index_));
}

double Histogram::mean() const noexcept {
    if (total_ == 0) return 0.0;
    // Exact: every count <= total <= INT64_MAX and medians < 2^63, so the sum < 2^126.
    __int128 sum = 0;
    for (std::size_t i = min_index_; i <= max_index_; ++i)
        sum += static_cast<__int128>(median_equivalent(value_at_index(i))) * counts_[i];
    return static_cast<double>(sum) / static_cast<double>(total_);
}

double Histogram::stddev() const noexcept {
    if (total_ == 0) return 0.0;
    const double m = mean();
    double squares = 0.0;
    for (std::size_t i = min_index_; i <= max_index_; ++i) {
        if (counts_[i] == 0) continue;
        const double deviation = static_cast<double>(median_equivalent(value_at_index(i))) - m;
        squares += deviation * deviation * static_cast<double>(counts_[i]);
    }
    return std::sqrt(squares / static_cast<double>(total_));
}

std::int64_t Histogram::value_at_percentile(double percentile) const noexcept {
    if (total_ == 0) return 0;
    const double p = percentile > 0 ? std::min(percentile, 100.0) : 0.0;  // NaN -> 0
    // Above 2^53 counts the rank below loses precision and could miss the last counts.
    if (p == 100.0) return max();
    const double fp = p / 100.0 * static_cast<double>(total_);
    // Java's Math.ulp: subtracting one ulp keeps e.g. 99.9% of 1000 (fp = 999.0000000000001)
    // from rounding up to 1000.
    const double ulp = fp == 0 ? std::numeric_limits<double>::denorm_min() : std::ldexp(1.0, std::ilogb(fp) - 52);
    const double rank = std::ceil(fp - ulp);
    // double(total_) may round up to 2^63, which must not be cast back.
    const std::int64_t target =
        rank >= static_cast<double>(total_) ? total_ : std::max<std::int64_t>(1, static_cast<std::int64_t>(rank));
    std::int64_t running = 0;
    for (std::size_t i = min_index_; i <= max_index_; ++i) {
        running += counts_[i];
        if (running >= target) {
            const std::int64_t v = value_at_index(i);
            return p == 0 ? v : highest_equivalent(v);
        }
    }
    return max();
}

}  // namespace faultline
