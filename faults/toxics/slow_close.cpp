// slow_close: data passes unchanged; the end of the stream is forwarded `delay` ms late.
#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

class SlowCloseToxic final : public Toxic {
public:
    explicit SlowCloseToxic(std::int64_t delay_ms) : delay_ms_(delay_ms) {}

    net::awaitable<void> pipe(ToxicStub& stub) const override {
        using Kind = ToxicStub::Read::Kind;
        for (;;) {
            auto r = co_await stub.read();
            if (r.kind == Kind::eof) {
                // An interrupt during the delay (update/remove) forwards the close at once:
                // the eof has been consumed, so holding it would hang the link.
                co_await stub.sleep_until(stub.clock().now() + std::chrono::milliseconds(delay_ms_));
                stub.close();
                co_return;
            }
            if (r.kind != Kind::chunk) co_return;
            co_await stub.write(std::move(r.chunk));
        }
    }

private:
    std::int64_t delay_ms_;
};

}  // namespace

ToxicType slow_close_toxic_type() {
    return {"slow_close", "SlowCloseToxic", {"delay"}, [](const Attributes& a) {
                return MadeToxic{std::make_shared<SlowCloseToxic>(attribute(a, "delay")), {}};
            }};
}

}  // namespace faultline::faults
