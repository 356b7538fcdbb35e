#pragma once
// The named proxies of one server, the toxic types they can use and the seeded random
// generator every link draws toxicity and jitter from (--seed makes runs reproducible).
// Single-threaded: use from the executor that runs the proxies.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "faults/proxy.hpp"

namespace faultline::faults {

class ProxyRegistry {
public:
    ProxyRegistry(net::any_io_executor executor, SleepClock& clock, std::uint64_t seed,
                  const ToxicRegistry& types = builtin_toxics());
    ~ProxyRegistry();
    ProxyRegistry(const ProxyRegistry&) = delete;
    ProxyRegistry& operator=(const ProxyRegistry&) = delete;

    const ToxicRegistry& toxic_types() const noexcept { return types_; }
    std::shared_ptr<Proxy> find(std::string_view name) const;
    // Sorted by name (GET /proxies order).
    const std::map<std::string, std::shared_ptr<Proxy>, std::less<>>& proxies() const noexcept { return proxies_; }

    // Adds a stopped proxy (replacing nothing: the caller checks for duplicates).
    std::shared_ptr<Proxy> add(const std::string& name, std::string listen, std::string upstream);
    // Stops the proxy (closing its connections) and forgets it with its toxics.
    void remove(const std::string& name);
    void stop_all();

    // Upstream dial timeout for connections accepted from now on.
    void set_dial_timeout(std::chrono::milliseconds timeout) noexcept { dial_timeout_ = timeout; }
    // Proxied connections held and allowed (see FdBudget).
    const FdBudget& budget() const noexcept { return budget_; }

private:
    net::any_io_executor executor_;
    SleepClock& clock_;
    const ToxicRegistry& types_;
    Rng rng_;
    std::chrono::milliseconds dial_timeout_{10'000};
    FdBudget budget_;  // before proxies_: connections release into it when they close
    std::map<std::string, std::shared_ptr<Proxy>, std::less<>> proxies_;
};

}  // namespace faultline::faults
