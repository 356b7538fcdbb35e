#include "examples/demo_target/kv_store.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace faultline::demo {

KvStore::KvStore(unsigned seed_count) {
    for (unsigned i = 1; i <= seed_count; ++i) {
        boost::json::object item{{"id", i}, {"name", "item " + std::to_string(i)}, {"price", 100 + i * 7 % 900}};
        values_.emplace("item" + std::to_string(i), StoredValue{boost::json::serialize(item), "application/json"});
    }
}

std::optional<StoredValue> KvStore::get(std::string_view key) const {
    const std::lock_guard lock(mutex_);
    const auto it = values_.find(std::string(key));
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

void KvStore::put(std::string_view key, StoredValue value) {
    const std::lock_guard lock(mutex_);
    values_[std::string(key)] = std::move(value);
}

bool KvStore::erase(std::string_view key) {
    const std::lock_guard lock(mutex_);
    return values_.erase(std::string(key)) > 0;
}

std::size_t KvStore::size() const {
    const std::lock_guard lock(mutex_);
    return values_.size();
}

}  // namespace faultline::demo
