#include "examples/demo_target/stale_cache.hpp"

#include <algorithm>

namespace faultline::demo {

StaleCache::StaleCache(std::size_t capacity) noexcept : capacity_(std::max<std::size_t>(1, capacity)) {}

void StaleCache::put(std::string_view key, std::string body, std::string content_type, Clock_tp now) {
    const std::string k(key);
    if (auto it = entries_.find(k); it != entries_.end()) {
        it->second = Entry{std::move(body), std::move(content_type), now};
        return;
    }
    while (entries_.size() >= capacity_ && !order_.empty()) {
        entries_.erase(order_.front());
        order_.pop_front();
    }
    entries_.emplace(k, Entry{std::move(body), std::move(content_type), now});
    order_.push_back(k);
}

std::optional<CachedValue> StaleCache::get(std::string_view key, Clock_tp now) const {
    const auto it = entries_.find(std::string(key));
    if (it == entries_.end()) return std::nullopt;
    return CachedValue{it->second.body, it->second.content_type, std::max(Duration::zero(), now - it->second.stored_at)};
}

void StaleCache::erase(std::string_view key) {
    const std::string k(key);
    if (entries_.erase(k) == 0) return;
    order_.erase(std::find(order_.begin(), order_.end(), k));
}

}  // namespace faultline::demo
