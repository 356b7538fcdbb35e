#pragma once
// Toxic types by name. Each type lists its integer attributes (in the order Toxiproxy's JSON
// shows them) and builds an immutable Toxic from a full attribute set. Registration is
// explicit (register_builtin_toxics), never by static initialisers.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "faults/toxic.hpp"

namespace faultline::faults {

// Every attribute of a type, in declaration order, with its integer value.
using Attributes = std::vector<std::pair<std::string, std::int64_t>>;

struct MadeToxic {
    std::shared_ptr<const Toxic> toxic;
    std::string error;  // set (and toxic null) when the attributes are rejected
};

struct ToxicType {
    std::string name;              // "latency"
    std::string go_struct;         // "LatencyToxic", for Go-compatible decode messages
    std::vector<std::string> attributes;
    std::function<MadeToxic(const Attributes&)> make;
};

class ToxicRegistry {
public:
    // Throws std::invalid_argument on an empty name, a null factory or a duplicate.
    void add(ToxicType type);
    const ToxicType* find(std::string_view name) const;
    Attributes defaults(const ToxicType& type) const;

private:
    std::map<std::string, ToxicType, std::less<>> types_;
};

std::int64_t attribute(const Attributes& attrs, std::string_view name);

// latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop.
void register_builtin_toxics(ToxicRegistry& registry);
const ToxicRegistry& builtin_toxics();

// One factory per file in faults/toxics/.
ToxicType latency_toxic_type();
ToxicType bandwidth_toxic_type();
ToxicType slow_close_toxic_type();
ToxicType timeout_toxic_type();
ToxicType reset_peer_toxic_type();
ToxicType slicer_toxic_type();
ToxicType limit_data_toxic_type();
ToxicType noop_toxic_type();

}  // namespace faultline::faults
