// faultline-demo-target: a small HTTP/1.1 server with injectable latency and errors, for
// tests, benchmarks and `make demo`. Routes: see routes.hpp. Flags: see options.cpp.
#include <exception>
#include <iostream>
#include <variant>

#include "examples/demo_target/options.hpp"
#include "examples/demo_target/server.hpp"

int main(int argc, char** argv) {
    using namespace faultline::demo;
    auto parsed = parse_demo_options(argc, argv);
    if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
    try {
        return run_demo_server(std::get<DemoOptions>(parsed));
    } catch (const std::exception& e) {
        std::cerr << "faultline-demo-target: " << e.what() << '\n';
        return 1;
    }
}
