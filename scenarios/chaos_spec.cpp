#include "scenarios/chaos_spec.hpp"

namespace faultline {

std::string FaultDecl::type_name() const {
    switch (kind) {
    case Kind::toxic: return toxic.type;
    case Kind::partition: return "partition";
    case Kind::disabled: return "disabled";
    case Kind::service: break;
    }
    switch (action) {
    case ServiceAction::pause: return "pause";
    case ServiceAction::kill: return "kill";
    case ServiceAction::restart: return "restart";
    }
    return "restart";
}

}  // namespace faultline
