#pragma once
// The unit of data on a link: the bytes of one read() on the source socket, stamped with
// the time they were read (latency counts from that stamp, so stacked stages don't add
// their own queueing twice).
#include <cstddef>
#include <string>

#include "common/clock.hpp"

namespace faultline::faults {

// upstream = client -> server (bytes read from the client); downstream = server -> client.
enum class Direction { upstream, downstream };

// The most one read() on a source socket returns: Toxiproxy's chunk size (Go's io.Copy buffer).
inline constexpr std::size_t kChunkSize = 32 * 1024;

struct Chunk {
    std::string data;
    Clock_tp received_at{};
};

// Spare chunk buffers of the calling thread (a link runs on one thread, so no lock). The
// socket reader takes one for each queued chunk and the socket writer gives it back once
// written, so a link with toxics allocates nothing per chunk in steady state. Only buffers
// of about a chunk's capacity are kept, and at most kMaxSpare of them.
class ChunkPool {
public:
    static constexpr std::size_t kMaxSpare = 64;
    // An empty string with capacity >= kChunkSize.
    static std::string take();
    // Keeps `buffer` for reuse if there is room; frees it otherwise.
    static void give(std::string&& buffer) noexcept;
    // Buffers held by the calling thread (tests).
    static std::size_t spare() noexcept;
};

// How a link ends. `half`: the source sent FIN, so the destination gets FIN too (shutdown of
// the write side). `full`: a toxic closes on purpose (timeout, limit_data): the whole
// connection is closed once the chain has drained.
enum class EndKind { half, full };

}  // namespace faultline::faults
