#pragma once
// Command-line options of faultline-demo-target.
#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "examples/demo_target/faults.hpp"

namespace faultline::demo {

struct DemoOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: the kernel picks a free port
    FaultSettings faults;
    bool tls = false;
    std::string ca_out = "faultline-demo-ca.pem";  // where --tls writes the CA certificate (PEM)
    unsigned threads = 1;
};

// The options, or the process exit code to return at once (0 after --help, 2 after a bad
// flag; the message has already been printed).
using ParseResult = std::variant<DemoOptions, int>;

ParseResult parse_demo_options(int argc, char** argv);

}  // namespace faultline::demo
