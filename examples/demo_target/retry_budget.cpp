#include "examples/demo_target/retry_budget.hpp"

#include <algorithm>

namespace faultline::demo {

RetryBudget::RetryBudget(RetryBudgetSettings settings, Clock_tp origin) noexcept
    : settings_(settings),
      origin_(origin),
      width_(std::max<Duration>(Duration(1), settings.window / static_cast<Duration::rep>(kBuckets))) {}

std::int64_t RetryBudget::index_of(Clock_tp now) const noexcept {
    if (now <= origin_) return 0;
    return static_cast<std::int64_t>((now - origin_) / width_);
}

RetryBudget::Bucket& RetryBudget::bucket_at(Clock_tp now) noexcept {
    const std::int64_t index = index_of(now);
    Bucket& bucket = buckets_[static_cast<std::size_t>(index) % kBuckets];
    // A slot still holding an older bucket is recycled.
    if (bucket.index != index) bucket = Bucket{index, 0, 0};
    return bucket;
}

template <class Field>
std::uint64_t RetryBudget::sum(Clock_tp now, Field field) const noexcept {
    const std::int64_t newest = index_of(now);
    std::uint64_t total = 0;
    for (const Bucket& b : buckets_)
        if (b.index >= 0 && b.index <= newest && b.index > newest - static_cast<std::int64_t>(kBuckets))
            total += b.*field;
    return total;
}

std::uint64_t RetryBudget::requests_in_window(Clock_tp now) const noexcept { return sum(now, &Bucket::requests); }
std::uint64_t RetryBudget::retries_in_window(Clock_tp now) const noexcept { return sum(now, &Bucket::retries); }

void RetryBudget::on_request(Clock_tp now) noexcept { ++bucket_at(now).requests; }

bool RetryBudget::try_retry(Clock_tp now) noexcept {
    const auto allowed = settings_.ratio * static_cast<double>(requests_in_window(now));
    // The epsilon keeps ratio * requests that should be a whole number (0.1 * 10) from
    // landing just below it.
    if (static_cast<double>(retries_in_window(now) + 1) > allowed + 1e-9) return false;
    ++bucket_at(now).retries;
    return true;
}

}  // namespace faultline::demo
