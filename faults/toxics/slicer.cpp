// slicer: splits each chunk near its midpoint, shifted by a random ±size_variation, until
// every piece is at most average_size + size_variation bytes, waiting `delay` µs after each
// piece. Toxiproxy recurses forever on average_size 0 and can split outside the chunk when
// size_variation >= average_size; both are rejected at creation instead.
#include <random>
#include <vector>

#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

class SlicerToxic final : public Toxic {
public:
    SlicerToxic(std::int64_t average, std::int64_t variation, std::int64_t delay_us)
        : average_(average), variation_(variation), delay_us_(delay_us) {}

    net::awaitable<void> pipe(ToxicStub& stub) const override {
        for (;;) {
            auto chunk = co_await stub.next_chunk();
            if (!chunk) co_return;
            std::vector<std::int64_t> cuts{0};
            split(0, static_cast<std::int64_t>(chunk->data.size()), stub.rng(), cuts);
            for (std::size_t i = 1; i < cuts.size(); ++i) {
                const auto from = static_cast<std::size_t>(cuts[i - 1]);
                Chunk piece{chunk->data.substr(from, static_cast<std::size_t>(cuts[i]) - from), chunk->received_at};
                co_await stub.write(std::move(piece));
                const auto until = stub.clock().now() + std::chrono::microseconds(std::max<std::int64_t>(delay_us_, 0));
                if (!co_await stub.sleep_until(until)) {
                    const auto rest = static_cast<std::size_t>(cuts[i]);
                    if (rest < chunk->data.size()) {
                        Chunk tail{chunk->data.substr(rest), chunk->received_at};
                        co_await stub.write(std::move(tail));
                    }
                    co_return;
                }
            }
        }
    }

private:
    // Appends the end offsets of the pieces of [start, end).
    void split(std::int64_t start, std::int64_t end, Rng& rng, std::vector<std::int64_t>& cuts) const {
        if ((end - start) - average_ <= variation_) {
            cuts.push_back(end);
            return;
        }
        std::int64_t mid = start + (end - start) / 2;
        if (variation_ > 0) mid += std::uniform_int_distribution<std::int64_t>(0, variation_ * 2 - 1)(rng) - variation_;
        split(start, mid, rng, cuts);
        split(mid, end, rng, cuts);
    }

    std::int64_t average_;
    std::int64_t variation_;
    std::int64_t delay_us_;
};

}  // namespace

ToxicType slicer_toxic_type() {
    return {"slicer", "SlicerToxic", {"average_size", "size_variation", "delay"}, [](const Attributes& a) {
                const auto average = attribute(a, "average_size");
                const auto variation = attribute(a, "size_variation");
                if (average <= 0) return MadeToxic{nullptr, "slicer average_size must be > 0"};
                if (variation < 0 || variation >= average)
                    return MadeToxic{nullptr, "slicer size_variation must be >= 0 and < average_size"};
                return MadeToxic{std::make_shared<SlicerToxic>(average, variation, attribute(a, "delay")), {}};
            }};
}

}  // namespace faultline::faults
