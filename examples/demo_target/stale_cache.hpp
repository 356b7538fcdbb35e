#pragma once
// The frontend's last-known-good copy of each backend value, served when the backend cannot
// answer (--stale-cache). Pure: callers pass the time; not thread-safe (FrontendState locks
// around it). Bounded: once `capacity` keys are held, storing a new key evicts the key that
// was first stored longest ago (FIFO; refreshing a key keeps its place).
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"

namespace faultline::demo {

struct CachedValue {
    std::string body;
    std::string content_type;
    Duration age{0};  // since it was stored; filled by get()
};

class StaleCache {
public:
    explicit StaleCache(std::size_t capacity) noexcept;

    void put(std::string_view key, std::string body, std::string content_type, Clock_tp now);
    // The value stored for `key` and its age at `now` (never negative), or nothing.
    std::optional<CachedValue> get(std::string_view key, Clock_tp now) const;
    void erase(std::string_view key);
    std::size_t size() const noexcept { return entries_.size(); }

private:
    struct Entry {
        std::string body;
        std::string content_type;
        Clock_tp stored_at;
    };
    std::size_t capacity_;
    std::unordered_map<std::string, Entry> entries_;
    std::deque<std::string> order_;  // keys, first stored first
};

}  // namespace faultline::demo
