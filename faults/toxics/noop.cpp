// noop: pass-through. Undocumented in Toxiproxy but registered (its tests create one).
#include "faults/toxic_registry.hpp"

namespace faultline::faults {
namespace {

class NoopToxic final : public Toxic {
public:
    net::awaitable<void> pipe(ToxicStub& stub) const override { return pass_through(stub); }
};

}  // namespace

ToxicType noop_toxic_type() {
    return {"noop", "NoopToxic", {}, [](const Attributes&) { return MadeToxic{std::make_shared<NoopToxic>(), {}}; }};
}

}  // namespace faultline::faults
