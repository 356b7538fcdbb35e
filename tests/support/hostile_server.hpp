#pragma once
// A deliberately misbehaving HTTP/1.1 server for the driver's robustness tests: it listens
// on 127.0.0.1 (ephemeral port) and treats every connection with one Behaviour, or picks the
// behaviour from the request path (`/oversized-header`, `/endless-length`, ... see
// behaviour_path) when constructed with Behaviour::by_path.
//
// It runs its own io_context on a background thread; the destructor stops it and joins.
// Counters are readable from the test thread at any time.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace faultline::test {

enum class Behaviour {
    ok,                // 200, Content-Length: 2, keep-alive
    oversized_header,  // a 200 head with a 256 KiB header line, then close
    endless_length,    // Content-Length: 10^15, then body bytes until the client goes away
    endless_chunked,   // chunked, 16 KiB chunks forever
    endless_close,     // no framing (body until close), body bytes forever
    bad_chunk,         // chunked with a size line that is not hex
    unsolicited,       // two complete responses written on accept, before any request
    late_extra,        // answers each request, then 30 ms later sends one more 200 unasked
    slowloris,         // one byte of a response head every 200 ms, forever
    rst_mid_body,      // head (Content-Length 50000) + 1000 body bytes, then SO_LINGER 0 and close (RST)
    by_path,           // the request path names the behaviour
};

// "/oversized-header", "/endless-length", ...; "/" for ok.
std::string_view behaviour_path(Behaviour b) noexcept;

class HostileServer {
public:
    explicit HostileServer(Behaviour behaviour);
    ~HostileServer();
    HostileServer(const HostileServer&) = delete;
    HostileServer& operator=(const HostileServer&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::string url() const;  // http://127.0.0.1:PORT

    std::uint64_t connections() const noexcept { return stats_->connections.load(); }
    std::uint64_t requests() const noexcept { return stats_->requests.load(); }
    std::uint64_t body_bytes_sent() const noexcept { return stats_->body_bytes.load(); }

    struct Stats {
        std::atomic<std::uint64_t> connections{0};
        std::atomic<std::uint64_t> requests{0};
        std::atomic<std::uint64_t> body_bytes{0};
    };

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::shared_ptr<Stats> stats_;
    std::uint16_t port_ = 0;
};

}  // namespace faultline::test
