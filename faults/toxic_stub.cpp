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
        holding_ = true;
        co_return Read{Read::Kind::chunk, std::move(r.item.chunk)};
    case PopResult::Status::timed_out: co_return Read{Read::Kind::timed_out, {}};
    default: co_return Read{Read::Kind::interrupted, {}};
    }
}

net::awaitable<std::optional<Chunk>> ToxicStub::next_chunk() {
    Read r = co_await read();
    std::optional<Chunk> chunk;
    if (r.kind == Read::Kind::eof) close();
    else if (r.kind == Read::Kind::chunk) chunk = std::move(r.chunk);
    co_return chunk;
}

net::awaitable<void> ToxicStub::write(Chunk chunk) {
    QueueItem item{false, EndKind::half, std::move(chunk)};  // named: g++ 12 mishandles temporaries in co_await
    if (!out_->try_push(std::move(item))) co_await out_->push(std::move(item));
    holding_ = false;
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
        auto chunk = co_await stub.next_chunk();
        if (!chunk) co_return;
        co_await stub.write(std::move(*chunk));
    }
}

}  // namespace faultline::faults
