#pragma once
// The backend's data: an in-memory key/value map, seeded so that reads work out of the box.
// Thread-safe (one mutex; the backend is a demo, not a database).
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace faultline::demo {

struct StoredValue {
    std::string body;
    std::string content_type;
};

class KvStore {
public:
    // Holds item1 .. item<seed_count>, each {"id":N,"name":"item N","price":P} as
    // application/json.
    explicit KvStore(unsigned seed_count = 100);

    std::optional<StoredValue> get(std::string_view key) const;
    void put(std::string_view key, StoredValue value);
    bool erase(std::string_view key);  // false if there was no such key
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, StoredValue> values_;
};

}  // namespace faultline::demo
