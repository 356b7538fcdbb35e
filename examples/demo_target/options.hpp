#pragma once
// Command-line options of faultline-demo-target.
#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "examples/demo_target/faults.hpp"
#include "examples/demo_target/frontend_settings.hpp"

namespace faultline::demo {

// target: the test server of routes.hpp (the default, unchanged). backend: the key/value
// service of kv_api.hpp. frontend: the API of frontend_handler.hpp in front of a backend.
enum class Mode { target, backend, frontend };

struct DemoOptions {
    Mode mode = Mode::target;
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: the kernel picks a free port
    FaultSettings faults;    // target and backend modes (the backend's error rate defaults to 0)
    bool tls = false;
    std::string ca_out = "faultline-demo-ca.pem";  // where --tls writes the CA certificate (PEM)
    unsigned threads = 1;
    // SIGINT/SIGTERM: how long responses in progress may take before they are cut off.
    std::chrono::nanoseconds drain_timeout = std::chrono::seconds(5);
    FrontendSettings frontend;  // frontend mode only
};

// The options, or the process exit code to return at once (0 after --help, 2 after a bad
// flag; the message has already been printed).
using ParseResult = std::variant<DemoOptions, int>;

ParseResult parse_demo_options(int argc, char** argv);

}  // namespace faultline::demo
