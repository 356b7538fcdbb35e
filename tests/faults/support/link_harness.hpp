#pragma once
// Drives one Link without sockets: feed() stamps chunks with the manual clock, a collector
// coroutine records what comes out (with the time it came out), and the connection-level
// requests (reset) are recorded instead of acted on.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "faults/link.hpp"
#include "faults/toxic_registry.hpp"
#include "tests/faults/support/manual_clock.hpp"

namespace faultline::test {

struct Output {
    std::string data;
    Duration at;  // manual-clock time it left the link
};

class LinkHarness {
public:
    explicit LinkHarness(std::uint64_t seed = 1);
    ~LinkHarness();

    // Builds a toxic from the registry; attributes by name, the rest 0. Fails the test if rejected.
    static faults::LinkToxic toxic(const std::string& name, const std::string& type,
                                   const faults::Attributes& attrs = {}, float toxicity = 1.0f);
    void start(const std::vector<faults::LinkToxic>& chain = {});
    // Pushes one chunk (stamped now); false if the link was full.
    bool feed(std::string data);
    void feed_eof();
    void advance(std::chrono::milliseconds d) { clock.advance(d); }
    void settle() { clock.settle(); }

    std::string received() const;  // all output data concatenated
    std::size_t pieces() const { return outputs.size(); }

    boost::asio::io_context io;
    ManualClock clock{io};
    faults::Rng rng;
    std::shared_ptr<struct RecordingControl> control;
    std::shared_ptr<faults::Link> link;
    std::vector<Output> outputs;
    bool ended = false;
    faults::EndKind end_kind = faults::EndKind::half;
    bool reset = false;

private:
    boost::asio::awaitable<void> collect();
    boost::asio::steady_timer timer_{io};
};

}  // namespace faultline::test
