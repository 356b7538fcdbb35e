#pragma once
// The frontend's retry budget: retries may be at most `ratio` times the requests seen over a
// sliding window, so a struggling backend is not hit by a retry storm. Pure: callers pass the
// time; not thread-safe (FrontendState locks around it).
//
// The window slides in kBuckets steps: time since `origin` is cut into buckets of
// window / kBuckets, and the counts are those of the last kBuckets buckets, the current one
// included:
//
//   origin     b0     b1     b2    ...    b9     b10 (now)
//     |------|------|------|-- ... --|------|---x--|
//              ^ dropped   \______ counted (10 buckets) ______/
//
// A retry is allowed when retries_in_window + 1 <= ratio * requests_in_window.
#include <array>
#include <cstdint>

#include "common/clock.hpp"

namespace faultline::demo {

struct RetryBudgetSettings {
    double ratio = 0.1;                              // retries per request; >= 0
    Duration window = std::chrono::seconds(10);      // > 0
};

class RetryBudget {
public:
    static constexpr std::size_t kBuckets = 10;

    // `origin` is where bucket 0 starts; times before it count in bucket 0.
    RetryBudget(RetryBudgetSettings settings, Clock_tp origin) noexcept;

    // Counts a client request (a first attempt).
    void on_request(Clock_tp now) noexcept;
    // True, and counts the retry, if the budget has room at `now`.
    bool try_retry(Clock_tp now) noexcept;

    std::uint64_t requests_in_window(Clock_tp now) const noexcept;
    std::uint64_t retries_in_window(Clock_tp now) const noexcept;

private:
    struct Bucket {
        std::int64_t index = -1;  // which bucket of time since origin it holds; -1: none yet
        std::uint64_t requests = 0;
        std::uint64_t retries = 0;
    };
    std::int64_t index_of(Clock_tp now) const noexcept;
    Bucket& bucket_at(Clock_tp now) noexcept;
    template <class Field>
    std::uint64_t sum(Clock_tp now, Field field) const noexcept;

    RetryBudgetSettings settings_;
    Clock_tp origin_;
    Duration width_;
    std::array<Bucket, kBuckets> buckets_{};
};

}  // namespace faultline::demo
