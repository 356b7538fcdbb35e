#pragma once
// The toxic contract. A toxic is an immutable description (type + attributes); each link it
// is attached to runs its pipe() in a stage:
//
//   socket reader -> [head] -> [toxic 1] -> [toxic 2] -> ... -> socket writer
//                        ChunkQueue between every two stages (bounded)
//
// pipe() moves data from stub.read() to stub.write(), applying the fault, until:
//  - read() returns eof: call stub.close() (or close(EndKind::full)) and return;
//  - read() returns interrupted, or sleep_until() returns false: the toxic was updated or
//    removed, or the connection is going down. Write any chunk you hold first (never drop
//    bytes on an interrupt), then return. The stage restarts pipe() with the new settings.
// Time comes only from stub.clock(); randomness only from stub.rng().
#include <any>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>
#include <random>
#include <string_view>

#include "faults/chunk.hpp"
#include "faults/chunk_queue.hpp"
#include "faults/sleep_clock.hpp"

namespace faultline::faults {

using Rng = std::mt19937_64;

// What a link may ask of the connection it belongs to.
class LinkControl {
public:
    virtual ~LinkControl() = default;
    // Abortive close: SO_LINGER=0 on both sockets, so the peers read ECONNRESET.
    virtual void reset_connection() = 0;
};

class ToxicStub {
public:
    struct Read {
        enum class Kind { chunk, eof, interrupted, timed_out };
        Kind kind = Kind::interrupted;
        Chunk chunk;
    };

    ToxicStub(net::any_io_executor executor, SleepClock& clock, Rng& rng, std::weak_ptr<LinkControl> control);

    net::awaitable<Read> read() { return read_until(Clock_tp::max()); }
    // The next chunk for toxics that treat every non-data read alike: at eof it forwards the
    // close (half) and returns nothing; when interrupted it returns nothing.
    net::awaitable<std::optional<Chunk>> next_chunk();
    // As read(), but gives up with timed_out once the clock reaches `deadline`.
    net::awaitable<Read> read_until(Clock_tp deadline);
    // Hands the chunk to the next stage, waiting while it is full (not interruptible: a
    // chunk that has left the toxic is delivered or the connection is gone).
    net::awaitable<void> write(Chunk chunk);
    // False when interrupted before `t`.
    net::awaitable<bool> sleep_until(Clock_tp t);

    // Ends this direction after pipe() returns; `full` closes the whole connection once the
    // rest of the chain has drained (Toxiproxy's link close), `half` forwards a FIN.
    void close(EndKind kind = EndKind::half) noexcept {
        if (!end_ || kind == EndKind::full) end_ = kind;
    }
    void reset_connection();

    SleepClock& clock() noexcept { return clock_; }
    Rng& rng() noexcept { return rng_; }
    // Per-link state made by Toxic::make_state(); survives updates of the toxic.
    std::any& state() noexcept { return state_; }

private:
    friend class Link;
    SleepClock& clock_;
    Rng& rng_;
    std::weak_ptr<LinkControl> control_;
    net::steady_timer timer_;
    ChunkQueue* in_ = nullptr;
    ChunkQueue* out_ = nullptr;
    bool interrupted_ = false;
    // From read() returning a chunk until the next write() has handed one on: the stage may
    // hold data (Link::idle() asks this of the hidden pass-through head).
    bool holding_ = false;
    std::optional<EndKind> end_;
    std::any state_;
};

class Toxic {
public:
    virtual ~Toxic() = default;
    virtual net::awaitable<void> pipe(ToxicStub& stub) const = 0;
    // Capacity of the queue in front of this toxic, in chunks (Toxiproxy: latency 1024,
    // others a hand-off).
    virtual std::size_t buffer_size() const noexcept { return 1; }
    virtual std::any make_state() const { return {}; }
    // Removing it closes the connection instead of flushing (timeout, PR #168 upstream).
    virtual bool closes_on_remove() const noexcept { return false; }
};

// Pass-through; also what an inactive toxic (toxicity draw missed) runs.
net::awaitable<void> pass_through(ToxicStub& stub);

}  // namespace faultline::faults
