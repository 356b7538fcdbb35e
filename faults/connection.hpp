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
    // Chunks written straight from the reader to the destination (no toxic on the link and
    // nothing queued), and chunks that went through the link's queues. Not in /metrics.
    std::uint64_t direct_chunks[2] = {0, 0};
    std::uint64_t queued_chunks[2] = {0, 0};
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
    // Writes all of data[0, n) to d's destination: one non-blocking send, then an async
    // write for what did not fit. False (and the connection closed) on error or close.
    net::awaitable<bool> write_all(Direction d, const char* data, std::size_t n);
    net::ip::tcp::socket& source(Direction d) noexcept;
    net::ip::tcp::socket& destination(Direction d) noexcept;

    ConnectionEnv env_;
    net::ip::tcp::socket client_;
    net::ip::tcp::socket server_;
    std::shared_ptr<Link> links_[2];
    std::function<void(Connection*)> on_closed_;
    // Each reader's buffer (kChunkSize, uninitialised): a chunk is read here, then written
    // from here (fast path) or copied into a pooled Chunk buffer (queued path).
    std::unique_ptr<char[]> read_buffer_[2];
    bool writer_busy_[2] = {false, false};  // the socket writer holds a chunk it popped
    bool half_closed_[2] = {false, false};
    bool closed_ = false;
};

}  // namespace faultline::faults
