#pragma once
// /metrics: Prometheus text exposition. Toxiproxy's two byte counters (same names and
// labels, but updated live rather than when a link ends) plus faultline's connection
// gauge and counter per proxy.
#include <string>

#include "faults/proxy_registry.hpp"

namespace faultline::faults {

std::string prometheus_text(const ProxyRegistry& registry);

}  // namespace faultline::faults
