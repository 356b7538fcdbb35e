#pragma once
// A one-paragraph description of a loaded scenario, printed by `faultline validate`.
#include <string>

#include "scenarios/scenario.hpp"

namespace faultline {

// E.g. "checkout (checkout.yaml): 1 flow, 3 steps (2 requests, 1 pause), 1 data feed (users,
// 3 rows); open model, 2 stages over 2m30s, 100/s -> 500/s, warmup 10s; target
// http://127.0.0.1:8080 (64 connections, timeout 5s)."
std::string describe(const Scenario& s);

}  // namespace faultline
