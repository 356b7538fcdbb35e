#pragma once
// Runs faultline-demo-target: listen, print the "listening on" line, serve until SIGINT or
// SIGTERM, then stop gracefully.
#include "examples/demo_target/options.hpp"

namespace faultline::demo {

// Returns the process exit code: 0 after a signal-initiated stop. Throws std::exception on
// setup failures (bind, TLS certificate generation, writing --ca-out).
int run_demo_server(const DemoOptions& options);

}  // namespace faultline::demo
