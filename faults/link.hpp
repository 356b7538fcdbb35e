#pragma once
// One direction of one proxied connection: a chain of stages, each running a toxic's pipe()
// between two bounded ChunkQueues. Toxics are added, updated and removed while data flows:
//  - add: a stage is appended; the previous last stage now writes into it.
//  - update: the stage is interrupted (held chunks released) and restarts with the new
//    toxic; per-link state is kept and toxicity is drawn again.
//  - remove: the stage is interrupted, then passes on whatever is queued in front of it and
//    unlinks itself once that queue is empty and nobody is waiting to write into it (so no
//    byte is dropped or reordered). A toxic with closes_on_remove() ends the connection.
// Single-threaded: every call and every stage runs on the link's executor.
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "faults/toxic.hpp"

namespace faultline::faults {

struct LinkToxic {
    std::string name;
    std::shared_ptr<const Toxic> toxic;
    float toxicity = 1.0f;
};

class Link : public std::enable_shared_from_this<Link> {
public:
    Link(net::any_io_executor executor, SleepClock& clock, Rng& rng, std::weak_ptr<LinkControl> control);
    ~Link();

    // Builds the chain and starts a coroutine per stage (they end after eof or abort()).
    void start(const std::vector<LinkToxic>& chain);

    ChunkQueue& input() noexcept;    // the socket reader (or a test) pushes here
    ChunkQueue& output() noexcept;   // the socket writer (or a test) pops here

    void add(const LinkToxic& toxic);
    void update(const LinkToxic& toxic);
    void remove(const std::string& name);
    // Stops every stage and drops queued data (connection closing).
    void abort();

    std::size_t stage_count() const noexcept { return stages_.size(); }
    // True when the chain is only the hidden pass-through head and no chunk is queued in or
    // held by it, or waiting in output(): everything pushed so far has been popped by the
    // writer. A chunk written straight to the destination now overtakes nothing (the socket
    // writer must also be idle). Any toxic on the link, even one being removed, makes it false.
    bool idle() const noexcept;

private:
    struct Stage;
    std::shared_ptr<Stage> make_stage(const LinkToxic* toxic, std::size_t capacity);
    void spawn(const std::shared_ptr<Stage>& stage);
    net::awaitable<void> run(std::shared_ptr<Stage> stage);
    net::awaitable<void> drain_and_unlink(std::shared_ptr<Stage> stage);
    void interrupt(Stage& stage);
    bool draw(float toxicity);

    net::any_io_executor executor_;
    SleepClock& clock_;
    Rng& rng_;
    std::weak_ptr<LinkControl> control_;
    std::list<std::shared_ptr<Stage>> stages_;  // head (hidden pass-through) first
    std::unique_ptr<ChunkQueue> output_;
    bool aborted_ = false;
};

}  // namespace faultline::faults
