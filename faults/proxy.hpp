#pragma once
// A named proxy: its listener(s), the connections it accepted, and its toxics. Toxic changes
// are applied to every live link at once (Link's rules). Single-threaded: use from the
// executor that runs it.
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "faults/connection.hpp"
#include "faults/fd_budget.hpp"
#include "faults/toxic_registry.hpp"

namespace faultline::faults {

// A toxic as the API sees it.
struct ToxicSpec {
    std::string name;
    std::string type;
    std::string stream;  // as sent ("UPSTREAM" stays "UPSTREAM")
    Direction direction = Direction::downstream;
    float toxicity = 1.0f;
    Attributes attributes;  // every attribute of the type
    std::shared_ptr<const Toxic> impl;
};

struct ProxyEnv {
    net::any_io_executor executor;
    SleepClock& clock;
    Rng& rng;
    std::chrono::milliseconds dial_timeout{10'000};
    FdBudget& budget;  // shared by every proxy of the registry
};

class Proxy : public std::enable_shared_from_this<Proxy> {
public:
    Proxy(ProxyEnv env, std::string name, std::string listen, std::string upstream);
    ~Proxy();

    // Binds and starts accepting; "" on success (or when already running), else a Go-style
    // error ("listen tcp 127.0.0.1:3310: bind: address already in use").
    std::string start();
    // Closes the listener and every connection (FIN). Toxics are kept.
    void stop();

    bool enabled() const noexcept { return enabled_; }
    const std::string& name() const noexcept { return name_; }
    // The bound address once started (127.0.0.1:41234); the string as given before that.
    const std::string& listen() const noexcept { return listen_; }
    const std::string& upstream() const noexcept { return upstream_; }
    void set_listen(std::string listen) { listen_ = std::move(listen); }
    void set_upstream(std::string upstream) { upstream_ = std::move(upstream); }

    // Upstream toxics in chain order, then downstream ones (the API's order).
    std::vector<const ToxicSpec*> toxics() const;
    const ToxicSpec* find_toxic(std::string_view name) const;
    void add_toxic(ToxicSpec toxic);
    void update_toxic(ToxicSpec toxic);  // replaces the toxic of the same name
    void remove_toxic(const std::string& name);
    void remove_all_toxics();

    const ProxyStats& stats() const noexcept { return *stats_; }
    std::size_t connection_count() const noexcept { return connections_.size(); }

private:
    net::awaitable<void> accept_loop(std::shared_ptr<net::ip::tcp::acceptor> acceptor);
    std::vector<LinkToxic> chain(Direction d) const;
    static LinkToxic link_toxic(const ToxicSpec& spec);

    ProxyEnv env_;
    std::string name_;
    std::string listen_;
    std::string upstream_;
    bool enabled_ = false;
    std::vector<std::shared_ptr<net::ip::tcp::acceptor>> acceptors_;
    std::vector<ToxicSpec> toxics_;  // in the order added
    std::unordered_map<Connection*, std::shared_ptr<Connection>> connections_;
    std::shared_ptr<ProxyStats> stats_ = std::make_shared<ProxyStats>();
};

}  // namespace faultline::faults
