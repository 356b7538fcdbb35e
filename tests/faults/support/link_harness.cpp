#include "tests/faults/support/link_harness.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <catch2/catch.hpp>

namespace faultline::test {

namespace net = boost::asio;

struct RecordingControl final : faults::LinkControl {
    LinkHarness* harness = nullptr;
    void reset_connection() override {
        harness->reset = true;
        harness->link->abort();
    }
};

LinkHarness::LinkHarness(std::uint64_t seed) : rng(seed), control(std::make_shared<RecordingControl>()) {
    control->harness = this;
    link = std::make_shared<faults::Link>(io.get_executor(), clock, rng, control);
}

LinkHarness::~LinkHarness() {
    link->abort();
    clock.settle();
}

faults::LinkToxic LinkHarness::toxic(const std::string& name, const std::string& type, const faults::Attributes& attrs,
                                     float toxicity) {
    const auto* t = faults::builtin_toxics().find(type);
    REQUIRE(t != nullptr);
    auto values = faults::builtin_toxics().defaults(*t);
    for (auto& [key, value] : values)
        for (const auto& [k, v] : attrs)
            if (k == key) value = v;
    auto made = t->make(values);
    REQUIRE(made.error == "");
    return faults::LinkToxic{name, made.toxic, toxicity};
}

void LinkHarness::start(const std::vector<faults::LinkToxic>& chain) {
    link->start(chain);
    net::co_spawn(io, collect(), net::detached);
    settle();
}

bool LinkHarness::feed(std::string data) {
    const bool ok = link->input().try_push(faults::QueueItem{false, faults::EndKind::half,
                                                             faults::Chunk{std::move(data), clock.now()}});
    settle();
    return ok;
}

void LinkHarness::feed_eof() {
    link->input().try_push(faults::QueueItem{true, faults::EndKind::half, {}});
    settle();
}

std::string LinkHarness::received() const {
    std::string all;
    for (const auto& o : outputs) all += o.data;
    return all;
}

net::awaitable<void> LinkHarness::collect() {
    for (;;) {
        auto r = co_await link->output().pop(clock, timer_);
        if (r.status != faults::PopResult::Status::item) co_return;
        if (r.item.eof) {
            ended = true;
            end_kind = r.item.end;
            co_return;
        }
        outputs.push_back(Output{std::move(r.item.chunk.data), clock.elapsed()});
    }
}

}  // namespace faultline::test
