// timeout: drops every byte in its direction. With timeout > 0 the connection is closed
// once `timeout` ms pass without a chunk arriving (the timer restarts on every chunk); with
// 0 it drops data until removed. Removing it closes the connection (closes_on_remove), as
// in Toxiproxy: a client that was black-holed must not be left hanging.
#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

class TimeoutToxic final : public Toxic {
public:
    explicit TimeoutToxic(std::int64_t timeout_ms) : timeout_ms_(timeout_ms) {}

    bool closes_on_remove() const noexcept override { return true; }

    net::awaitable<void> pipe(ToxicStub& stub) const override {
        using Kind = ToxicStub::Read::Kind;
        for (;;) {
            const Clock_tp deadline = timeout_ms_ > 0 ? stub.clock().now() + std::chrono::milliseconds(timeout_ms_)
                                                      : Clock_tp::max();
            auto r = co_await stub.read_until(deadline);
            if (r.kind == Kind::timed_out) {
                stub.close(EndKind::full);
                co_return;
            }
            if (r.kind == Kind::eof) {
                stub.close();
                co_return;
            }
            if (r.kind == Kind::interrupted) co_return;
            // chunk: dropped on purpose.
        }
    }

private:
    std::int64_t timeout_ms_;
};

}  // namespace

ToxicType timeout_toxic_type() {
    return {"timeout", "TimeoutToxic", {"timeout"}, [](const Attributes& a) {
                return MadeToxic{std::make_shared<TimeoutToxic>(attribute(a, "timeout")), {}};
            }};
}

}  // namespace faultline::faults
