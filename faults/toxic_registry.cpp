#include "faults/toxic_registry.hpp"

#include <stdexcept>

namespace faultline::faults {

void ToxicRegistry::add(ToxicType type) {
    if (type.name.empty() || !type.make) throw std::invalid_argument("toxic type needs a name and a factory");
    auto name = type.name;
    if (!types_.emplace(name, std::move(type)).second)
        throw std::invalid_argument("toxic type registered twice: " + name);
}

const ToxicType* ToxicRegistry::find(std::string_view name) const {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : &it->second;
}

Attributes ToxicRegistry::defaults(const ToxicType& type) const {
    Attributes attrs;
    for (const auto& name : type.attributes) attrs.emplace_back(name, 0);
    return attrs;
}

std::int64_t attribute(const Attributes& attrs, std::string_view name) {
    for (const auto& [key, value] : attrs)
        if (key == name) return value;
    return 0;
}

void register_builtin_toxics(ToxicRegistry& registry) {
    registry.add(latency_toxic_type());
    registry.add(bandwidth_toxic_type());
    registry.add(slow_close_toxic_type());
    registry.add(timeout_toxic_type());
    registry.add(reset_peer_toxic_type());
    registry.add(slicer_toxic_type());
    registry.add(limit_data_toxic_type());
    registry.add(noop_toxic_type());
}

const ToxicRegistry& builtin_toxics() {
    static const ToxicRegistry registry = [] {
        ToxicRegistry r;
        register_builtin_toxics(r);
        return r;
    }();
    return registry;
}

}  // namespace faultline::faults
