// latency: each chunk leaves at read time + latency ± jitter. Counting from the read stamp
// (not from "now") means time already spent in earlier stages counts, and advancing the
// stamp on release makes stacked latency toxics add up (500 + 500 = 1000 ms).
#include <random>

#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

class LatencyToxic final : public Toxic {
public:
    LatencyToxic(std::int64_t latency_ms, std::int64_t jitter_ms) : latency_ms_(latency_ms), jitter_ms_(jitter_ms) {}

    // Chunks queue up here while they wait, so the reader is not throttled by the delay.
    std::size_t buffer_size() const noexcept override { return 1024; }

    net::awaitable<void> pipe(ToxicStub& stub) const override {
        for (;;) {
            auto chunk = co_await stub.next_chunk();
            if (!chunk) co_return;
            const Clock_tp release = chunk->received_at + delay(stub.rng());
            if (!co_await stub.sleep_until(release)) {
                co_await stub.write(std::move(*chunk));  // released at once on an interrupt
                co_return;
            }
            chunk->received_at = release;
            co_await stub.write(std::move(*chunk));
        }
    }

private:
    Duration delay(Rng& rng) const {
        std::int64_t ms = latency_ms_;
        // Toxiproxy: uniform integer in [-jitter, +jitter).
        if (jitter_ms_ > 0) ms += std::uniform_int_distribution<std::int64_t>(-jitter_ms_, jitter_ms_ - 1)(rng);
        return std::chrono::milliseconds(ms);
    }

    std::int64_t latency_ms_;
    std::int64_t jitter_ms_;
};

}  // namespace

ToxicType latency_toxic_type() {
    return {"latency", "LatencyToxic", {"latency", "jitter"}, [](const Attributes& a) {
                return MadeToxic{std::make_shared<LatencyToxic>(attribute(a, "latency"), attribute(a, "jitter")), {}};
            }};
}

}  // namespace faultline::faults
