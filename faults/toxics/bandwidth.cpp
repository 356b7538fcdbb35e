// bandwidth: paces a link to `rate` KB/s (KB = 1000 bytes). A running sleep budget carries
// timer error forward, and chunks larger than 100 ms worth of data go out in 100 ms pieces,
// as Toxiproxy does. rate 0 freezes the link (data held, not lost) until the toxic changes.
#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

using std::chrono::milliseconds;

class BandwidthToxic final : public Toxic {
public:
    explicit BandwidthToxic(std::int64_t rate_kb_per_s) : rate_(rate_kb_per_s) {}

    net::awaitable<void> pipe(ToxicStub& stub) const override {
        Duration budget{0};
        for (;;) {
            auto chunk = co_await stub.next_chunk();
            if (!chunk) co_return;
            if (rate_ == 0) {
                co_await stub.sleep_until(Clock_tp::max());  // only an interrupt ends a freeze
                co_await stub.write(std::move(*chunk));
                co_return;
            }
            if (!co_await send(stub, std::move(*chunk), budget)) co_return;
        }
    }

private:
    // False when interrupted (the rest of the chunk has been forwarded).
    net::awaitable<bool> send(ToxicStub& stub, Chunk chunk, Duration& budget) const {
        // len / rate ms, in nanoseconds: bytes * 1e6 / rate.
        budget += std::chrono::nanoseconds(static_cast<std::int64_t>(chunk.data.size()) * 1'000'000 / rate_);
        const auto piece = static_cast<std::size_t>(rate_ * 100);
        while (chunk.data.size() > piece) {
            if (!co_await stub.sleep_until(stub.clock().now() + milliseconds(100))) {
                co_await stub.write(std::move(chunk));
                co_return false;
            }
            Chunk head{chunk.data.substr(0, piece), chunk.received_at};
            co_await stub.write(std::move(head));
            chunk.data.erase(0, piece);
            budget -= milliseconds(100);
        }
        const Clock_tp start = stub.clock().now();
        const bool slept = co_await stub.sleep_until(start + budget);
        budget -= stub.clock().now() - start;  // carry the timer's error forward
        co_await stub.write(std::move(chunk));
        co_return slept;
    }

    std::int64_t rate_;
};

}  // namespace

ToxicType bandwidth_toxic_type() {
    return {"bandwidth", "BandwidthToxic", {"rate"}, [](const Attributes& a) {
                const auto rate = attribute(a, "rate");
                // Toxiproxy crashes on a negative rate (slice bounds); reject it instead.
                if (rate < 0) return MadeToxic{nullptr, "bandwidth rate must be >= 0"};
                return MadeToxic{std::make_shared<BandwidthToxic>(rate), {}};
            }};
}

}  // namespace faultline::faults
