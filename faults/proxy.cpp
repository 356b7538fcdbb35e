#include "faults/proxy.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "faults/listen_address.hpp"

namespace faultline::faults {

using net::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kAcceptBackoff{50};

std::string go_error_text(const boost::system::error_code& ec) {
    auto text = ec.message();
    if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

// Opens, binds and listens; "" or the Go-style error.
std::string open_acceptor(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && endpoint.address().is_v6() && endpoint.address().is_unspecified())
        acceptor.set_option(net::ip::v6_only(false), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (ec) return fmt::format("listen tcp {}: bind: {}", format_endpoint(endpoint), go_error_text(ec));
    acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fmt::format("listen tcp {}: listen: {}", format_endpoint(endpoint), go_error_text(ec));
    return {};
}

}  // namespace

Proxy::Proxy(ProxyEnv env, std::string name, std::string listen, std::string upstream)
    : env_(std::move(env)), name_(std::move(name)), listen_(std::move(listen)), upstream_(std::move(upstream)) {}

Proxy::~Proxy() { stop(); }

std::string Proxy::start() {
    if (enabled_) return {};
    auto resolved = resolve_listen(listen_);
    if (!resolved.error.empty()) return resolved.error;
    std::vector<std::shared_ptr<tcp::acceptor>> acceptors;
    unsigned short port = resolved.endpoints.front().port();
    for (std::size_t i = 0; i < resolved.endpoints.size(); ++i) {
        auto endpoint = resolved.endpoints[i];
        if (i > 0) endpoint.port(port);  // the extra family (::1 for localhost) shares the port
        auto acceptor = std::make_shared<tcp::acceptor>(env_.executor);
        auto error = open_acceptor(*acceptor, endpoint);
        if (!error.empty()) {
            if (i == 0) return error;
            continue;  // best-effort: the machine may have no IPv6 loopback
        }
        if (i == 0) port = acceptor->local_endpoint().port();
        acceptors.push_back(std::move(acceptor));
    }
    listen_ = format_endpoint(acceptors.front()->local_endpoint());
    enabled_ = true;
    acceptors_ = std::move(acceptors);
    for (auto& acceptor : acceptors_) net::co_spawn(env_.executor, accept_loop(acceptor), net::detached);
    return {};
}

void Proxy::stop() {
    for (auto& acceptor : acceptors_) {
        boost::system::error_code ignored;
        acceptor->close(ignored);
    }
    acceptors_.clear();
    enabled_ = false;
    auto connections = std::move(connections_);  // close() calls back into connections_
    connections_.clear();
    for (auto& [raw, connection] : connections) connection->close();
}

net::awaitable<void> Proxy::accept_loop(std::shared_ptr<tcp::acceptor> acceptor) {
    std::weak_ptr<Proxy> weak = weak_from_this();
    for (;;) {
        auto [ec, socket] = co_await acceptor->async_accept(net::as_tuple(net::use_awaitable));
        if (ec && accept_error_is_resource_exhaustion(ec.value())) {
            // Out of descriptors: the listener stays readable, so retrying at once would spin
            // at 100% CPU. Pause; the pending clients wait in the backlog meanwhile.
            net::steady_timer pause(acceptor->get_executor(), kAcceptBackoff);  // not env_: the proxy may be gone
            co_await pause.async_wait(net::as_tuple(net::use_awaitable));
        }
        auto self = weak.lock();
        if (!self || !acceptor->is_open()) co_return;
        if (ec) continue;  // e.g. ECONNABORTED: the client gave up before we accepted
        if (!env_.budget.try_acquire()) {
            // Over the descriptor budget: shed this client (it reads EOF) rather than let the
            // process reach EMFILE, where the admin API could not accept either.
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        ConnectionEnv env{env_.executor, env_.clock, env_.rng, stats_, env_.dial_timeout, &env_.budget};
        auto connection = std::make_shared<Connection>(env, std::move(socket), [weak](Connection* c) {
            if (auto proxy = weak.lock()) proxy->connections_.erase(c);
        });
        connections_.emplace(connection.get(), connection);
        connection->attach(chain(Direction::upstream), chain(Direction::downstream));
        net::co_spawn(env_.executor, connection->run(upstream_), net::detached);
    }
}

std::vector<const ToxicSpec*> Proxy::toxics() const {
    std::vector<const ToxicSpec*> out;
    for (auto d : {Direction::upstream, Direction::downstream})
        for (const auto& t : toxics_)
            if (t.direction == d) out.push_back(&t);
    return out;
}

const ToxicSpec* Proxy::find_toxic(std::string_view name) const {
    for (const auto& t : toxics_)
        if (t.name == name) return &t;
    return nullptr;
}

LinkToxic Proxy::link_toxic(const ToxicSpec& spec) { return LinkToxic{spec.name, spec.impl, spec.toxicity}; }

std::vector<LinkToxic> Proxy::chain(Direction d) const {
    std::vector<LinkToxic> out;
    for (const auto& t : toxics_)
        if (t.direction == d) out.push_back(link_toxic(t));
    return out;
}

void Proxy::add_toxic(ToxicSpec toxic) {
    for (auto& [raw, connection] : connections_) connection->link(toxic.direction).add(link_toxic(toxic));
    toxics_.push_back(std::move(toxic));
}

void Proxy::update_toxic(ToxicSpec toxic) {
    auto it = std::find_if(toxics_.begin(), toxics_.end(), [&](const ToxicSpec& t) { return t.name == toxic.name; });
    if (it == toxics_.end()) return;
    for (auto& [raw, connection] : connections_) connection->link(it->direction).update(link_toxic(toxic));
    *it = std::move(toxic);
}

void Proxy::remove_toxic(const std::string& name) {
    auto it = std::find_if(toxics_.begin(), toxics_.end(), [&](const ToxicSpec& t) { return t.name == name; });
    if (it == toxics_.end()) return;
    for (auto& [raw, connection] : connections_) connection->link(it->direction).remove(name);
    toxics_.erase(it);
}

void Proxy::remove_all_toxics() {
    while (!toxics_.empty()) remove_toxic(std::string(toxics_.front().name));
}

}  // namespace faultline::faults
