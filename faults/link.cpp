#include "faults/link.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <random>

namespace faultline::faults {

struct Link::Stage {
    Stage(net::any_io_executor ex, SleepClock& clock, Rng& rng, std::weak_ptr<LinkControl> control, std::size_t cap)
        : in(ex, cap), stub(ex, clock, rng, std::move(control)) {}
    std::string name;
    std::shared_ptr<const Toxic> toxic;  // null for the head stage
    bool active = true;                  // this link's toxicity draw
    bool removing = false;
    ChunkQueue in;
    ToxicStub stub;  // stub.in_ == &in; stub.out_ is the next stage's queue or the output
};

Link::Link(net::any_io_executor executor, SleepClock& clock, Rng& rng, std::weak_ptr<LinkControl> control)
    : executor_(std::move(executor)), clock_(clock), rng_(rng), control_(std::move(control)),
      output_(std::make_unique<ChunkQueue>(executor_, 1)) {
    stages_.push_back(make_stage(nullptr, 1));
    stages_.back()->stub.out_ = output_.get();
}

Link::~Link() = default;

std::shared_ptr<Link::Stage> Link::make_stage(const LinkToxic* toxic, std::size_t capacity) {
    auto stage = std::make_shared<Stage>(executor_, clock_, rng_, control_, capacity);
    stage->stub.in_ = &stage->in;
    if (toxic) {
        stage->name = toxic->name;
        stage->toxic = toxic->toxic;
        stage->active = draw(toxic->toxicity);
        stage->stub.state_ = toxic->toxic->make_state();
    }
    return stage;
}

void Link::start(const std::vector<LinkToxic>& chain) {
    spawn(stages_.front());
    for (const auto& toxic : chain) add(toxic);
}

ChunkQueue& Link::input() noexcept { return stages_.front()->in; }
ChunkQueue& Link::output() noexcept { return *output_; }

bool Link::idle() const noexcept {
    if (aborted_ || stages_.size() != 1) return false;
    const Stage& head = *stages_.front();
    return head.in.empty() && !head.in.producer_waiting() && !head.stub.holding_ && output_->empty();
}

bool Link::draw(float toxicity) {
    // Drawn once when the toxic attaches (and again on update): stable per link, and
    // reproducible under --seed because the Rng is the proxy server's seeded generator.
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < static_cast<double>(toxicity);
}

void Link::spawn(const std::shared_ptr<Stage>& stage) {
    // Not detached in spirit: the stage coroutine holds the Link, and abort() ends it.
    net::co_spawn(executor_, run(stage), net::detached);
}

void Link::add(const LinkToxic& toxic) {
    if (aborted_) return;
    auto stage = make_stage(&toxic, toxic.toxic->buffer_size());
    stage->stub.out_ = output_.get();
    stages_.back()->stub.out_ = &stage->in;
    stages_.push_back(stage);
    spawn(stage);
}

void Link::update(const LinkToxic& toxic) {
    for (auto& stage : stages_) {
        if (stage->toxic && !stage->removing && stage->name == toxic.name) {
            stage->toxic = toxic.toxic;
            stage->active = draw(toxic.toxicity);
            interrupt(*stage);
        }
    }
}

void Link::remove(const std::string& name) {
    for (auto& stage : stages_) {
        if (stage->toxic && !stage->removing && stage->name == name) {
            stage->removing = true;
            interrupt(*stage);
        }
    }
}

void Link::abort() {
    if (aborted_) return;
    aborted_ = true;
    for (auto& stage : stages_) {
        stage->in.abort();
        interrupt(*stage);
    }
    output_->abort();
}

void Link::interrupt(Stage& stage) {
    stage.stub.interrupted_ = true;
    stage.stub.timer_.cancel();
}

net::awaitable<void> Link::run(std::shared_ptr<Stage> stage) {
    auto self = shared_from_this();
    ToxicStub& stub = stage->stub;
    while (!aborted_ && !stage->removing) {
        stub.interrupted_ = false;
        auto toxic = stage->toxic;  // an update may replace it while pipe() runs
        if (toxic && stage->active) co_await toxic->pipe(stub);
        else co_await pass_through(stub);
        if (aborted_) co_return;
        if (stub.end_) {
            QueueItem eof{true, *stub.end_, {}};  // named: g++ 12 mishandles temporaries in co_await
            co_await stub.out_->push(std::move(eof));
            co_return;
        }
    }
    if (aborted_) co_return;
    if (stage->toxic->closes_on_remove()) {
        QueueItem eof{true, EndKind::full, {}};
        co_await stub.out_->push(std::move(eof));
        co_return;
    }
    co_await drain_and_unlink(stage);
}

net::awaitable<void> Link::drain_and_unlink(std::shared_ptr<Stage> stage) {
    for (;;) {
        auto item = stage->in.try_pop();
        if (!item && stage->in.producer_waiting()) {
            // The writer we just made room for has not resumed yet: wait for its chunk.
            auto r = co_await stage->in.pop(clock_, stage->stub.timer_);
            if (r.status != PopResult::Status::item) co_return;
            item = std::move(r.item);
        }
        if (!item) break;
        const bool eof = item->eof;
        if (!co_await stage->stub.out_->push(std::move(*item)) || eof) co_return;
    }
    // Empty, and (single-threaded) nobody is suspended writing into it: the previous stage's
    // next write can go straight to our output without overtaking anything.
    auto it = std::find(stages_.begin(), stages_.end(), stage);
    if (it == stages_.end() || it == stages_.begin()) co_return;
    (*std::prev(it))->stub.out_ = stage->stub.out_;
    stages_.erase(it);
}

}  // namespace faultline::faults
