#pragma once
// The unit of data on a link: the bytes of one read() on the source socket, stamped with
// the time they were read (latency counts from that stamp, so stacked stages don't add
// their own queueing twice).
#include <string>

#include "common/clock.hpp"

namespace faultline::faults {

// upstream = client -> server (bytes read from the client); downstream = server -> client.
enum class Direction { upstream, downstream };

struct Chunk {
    std::string data;
    Clock_tp received_at{};
};

// How a link ends. `half`: the source sent FIN, so the destination gets FIN too (shutdown of
// the write side). `full`: a toxic closes on purpose (timeout, limit_data): the whole
// connection is closed once the chain has drained.
enum class EndKind { half, full };

}  // namespace faultline::faults
