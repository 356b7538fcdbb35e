#include "faults/toxic.hpp"

namespace faultline::faults {

ToxicStub::ToxicStub(net::any_io_executor executor, SleepClock& clock, Rng& rng, std::weak_ptr<LinkControl> control)
    : clock_(clock), rng_(rng), control_(std::move(control)), timer_(std::move(executor)) {}

net::awaitable<ToxicStub::Read> ToxicStub::read_until(Clock_tp deadline) {
    auto r = co_await in_->pop(clock_, timer_, &interrupted_, deadline);
    switch (r.status) {
    case PopResult::Status::item:
        if (r.item.eof) {
            // A toxic that ends on eof calls close(); keep the kind the source asked for.
            end_ = r.item.end;
            co_return Read{Read::Kind::eof, {}};
        }
        co_return Read{Read::Kind::chunk, std::move(r.item.chunk)};
    case PopResult::Status::timed_out: co_return Read{Read::Kind::timed_out, {}};
    default: co_return Read{Read::Kind::interrupted, {}};
    }
}

net::awaitable<void> ToxicStub::write(Chunk chunk) {
    QueueItem item{false, EndKind::half, std::move(chunk)};  // named: g++ 12 mishandles temporaries in co_await
    co_await out_->push(std::move(item));
}

net::awaitable<bool> ToxicStub::sleep_until(Clock_tp t) {
    while (!interrupted_ && !in_->aborted() && clock_.now() < t) co_await clock_.sleep_until(t, timer_);
    co_return !interrupted_ && !in_->aborted();
}

void ToxicStub::reset_connection() {
    if (auto control = control_.lock()) control->reset_connection();
}

net::awaitable<void> pass_through(ToxicStub& stub) {
    for (;;) {
        auto r = co_await stub.read();
        if (r.kind == ToxicStub::Read::Kind::eof) {
            stub.close();
            co_return;
        }
        if (r.kind != ToxicStub::Read::Kind::chunk) co_return;
        co_await stub.write(std::move(r.chunk));
    }
}

}  // namespace faultline::faults
