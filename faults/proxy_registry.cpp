#include "faults/proxy_registry.hpp"

namespace faultline::faults {

ProxyRegistry::ProxyRegistry(net::any_io_executor executor, SleepClock& clock, std::uint64_t seed,
                             const ToxicRegistry& types)
    : executor_(std::move(executor)), clock_(clock), types_(types), rng_(seed) {}

ProxyRegistry::~ProxyRegistry() { stop_all(); }

std::shared_ptr<Proxy> ProxyRegistry::find(std::string_view name) const {
    auto it = proxies_.find(name);
    return it == proxies_.end() ? nullptr : it->second;
}

std::shared_ptr<Proxy> ProxyRegistry::add(const std::string& name, std::string listen, std::string upstream) {
    auto proxy = std::make_shared<Proxy>(ProxyEnv{executor_, clock_, rng_, dial_timeout_, budget_}, name, std::move(listen),
                                         std::move(upstream));
    proxies_[name] = proxy;
    return proxy;
}

void ProxyRegistry::remove(const std::string& name) {
    auto it = proxies_.find(name);
    if (it == proxies_.end()) return;
    it->second->stop();
    proxies_.erase(it);
}

void ProxyRegistry::stop_all() {
    for (auto& [name, proxy] : proxies_) proxy->stop();
}

}  // namespace faultline::faults
