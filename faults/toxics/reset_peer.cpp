// reset_peer: on the first chunk (or end of stream) in its direction, waits `timeout` ms,
// then closes the connection abortively (RST, so the peers read ECONNRESET). Data is dropped.
// SO_LINGER=0 is set only when it fires, unlike Toxiproxy (#603).
#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

class ResetPeerToxic final : public Toxic {
public:
    explicit ResetPeerToxic(std::int64_t timeout_ms) : timeout_ms_(timeout_ms) {}

    net::awaitable<void> pipe(ToxicStub& stub) const override {
        using Kind = ToxicStub::Read::Kind;
        auto r = co_await stub.read();
        if (r.kind == Kind::interrupted || r.kind == Kind::timed_out) co_return;
        if (!co_await stub.sleep_until(stub.clock().now() + std::chrono::milliseconds(timeout_ms_))) co_return;
        stub.reset_connection();
    }

private:
    std::int64_t timeout_ms_;
};

}  // namespace

ToxicType reset_peer_toxic_type() {
    return {"reset_peer", "ResetToxic", {"timeout"}, [](const Attributes& a) {
                return MadeToxic{std::make_shared<ResetPeerToxic>(attribute(a, "timeout")), {}};
            }};
}

}  // namespace faultline::faults
