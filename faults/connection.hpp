#pragma once
// One proxied TCP connection: the accepted client socket, the upstream socket dialled for
// it, and two Links (upstream: client -> server, downstream: server -> client), each with a
// socket reader and a socket writer coroutine on the proxy's executor.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "faults/fd_budget.hpp"
#include "faults/link.hpp"

namespace faultline::faults {

// Live byte and connection counters of one proxy (/metrics); updated as data moves.
struct ProxyStats {
    std::uint64_t received_bytes[2] = {0, 0};  // by Direction
    std::uint64_t sent_bytes[2] = {0, 0};
    std::uint64_t connections_total = 0;
    std::uint64_t connections_active = 0;
};

struct ConnectionEnv {
    net::any_io_executor executor;
    SleepClock& clock;
    Rng& rng;
    std::shared_ptr<ProxyStats> stats;  // shared: a closing connection may outlive its proxy
    std::chrono::milliseconds dial_timeout{10'000};
    FdBudget* budget = nullptr;  // released into when the connection closes; outlives it
};

class Connection final : public LinkControl, public std::enable_shared_from_this<Connection> {
public:
    Connection(ConnectionEnv env, net::ip::tcp::socket client, std::function<void(Connection*)> on_closed);
    ~Connection() override;

    // Creates both links with these chains; call right after construction, so toxics
    // changed while the upstream is being dialled apply too.
    void attach(const std::vector<LinkToxic>& up_chain, const std::vector<LinkToxic>& down_chain);
    // Dials `upstream` (host:port, resolved now), then moves data until the connection ends.
    net::awaitable<void> run(std::string upstream);

    Link& link(Direction d) noexcept { return *links_[static_cast<int>(d)]; }
    // Closes both sockets (FIN) and stops both links. Idempotent.
    void close();
    void reset_connection() override;

private:
    net::awaitable<bool> dial(const std::string& upstream);
    net::awaitable<void> read_loop(Direction d);
    net::awaitable<void> write_loop(Direction d);
    net::ip::tcp::socket& source(Direction d) noexcept;
    net::ip::tcp::socket& destination(Direction d) noexcept;

    ConnectionEnv env_;
    net::ip::tcp::socket client_;
    net::ip::tcp::socket server_;
    std::shared_ptr<Link> links_[2];
    std::function<void(Connection*)> on_closed_;
    bool half_closed_[2] = {false, false};
    bool closed_ = false;
};

}  // namespace faultline::faults
