// limit_data: forwards at most `bytes` bytes on a link, cutting the chunk that crosses the
// limit, then closes the connection (after the chain drains, so the cut is exact). The count
// is per link and survives updates of the toxic.
#include <memory>

#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

struct LimitState {
    std::int64_t transmitted = 0;
};

class LimitDataToxic final : public Toxic {
public:
    explicit LimitDataToxic(std::int64_t bytes) : bytes_(bytes) {}

    std::any make_state() const override { return std::make_shared<LimitState>(); }

    net::awaitable<void> pipe(ToxicStub& stub) const override {
        auto state = std::any_cast<std::shared_ptr<LimitState>>(stub.state());
        for (;;) {
            if (state->transmitted >= bytes_ && bytes_ > 0) {
                stub.close(EndKind::full);  // reached (e.g. before an update raised nothing)
                co_return;
            }
            auto chunk = co_await stub.next_chunk();
            if (!chunk) co_return;
            const std::int64_t remaining = std::max<std::int64_t>(bytes_ - state->transmitted, 0);
            if (static_cast<std::int64_t>(chunk->data.size()) > remaining)
                chunk->data.resize(static_cast<std::size_t>(remaining));
            if (!chunk->data.empty()) {
                state->transmitted += static_cast<std::int64_t>(chunk->data.size());
                co_await stub.write(std::move(*chunk));
            }
            if (state->transmitted >= bytes_) {
                stub.close(EndKind::full);
                co_return;
            }
        }
    }

private:
    std::int64_t bytes_;
};

}  // namespace

ToxicType limit_data_toxic_type() {
    return {"limit_data", "LimitDataToxic", {"bytes"}, [](const Attributes& a) {
                return MadeToxic{std::make_shared<LimitDataToxic>(attribute(a, "bytes")), {}};
            }};
}

}  // namespace faultline::faults
